"""Duplicates within one organisation: Splink (Fellegi-Sunter) on DuckDB.

Households are compared, not applicants: names and birth dates of all adults (in either
order), the children's birth years, address, phone and the keyed CPR digest. The model's
parameters (``model.json``) were trained once by expectation maximisation on the seeded
synthetic set (``bench/christmas.py --train``) and are reused for every round; Splink's DuckDB
backend runs in-process, and the same settings run on Spark when one machine is not enough.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
from django.utils.translation import gettext_lazy as _

from samspil.christmas.linkage.records import COLUMNS, application_record

MODEL_PATH = Path(__file__).with_name("model.json")
THRESHOLD = 0.9  # match probability from which a pair is proposed to the coordinator
logging.getLogger("splink").setLevel(logging.WARNING)

JW = "jaro_winkler_similarity"
DL = "damerau_levenshtein"


def _both(cond_1: str, cond_2: str) -> str:
    return f"({cond_1}) AND ((n2_l IS NULL AND n2_r IS NULL) OR ({cond_2}))"


def _comparisons():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def level(sql: str, label: str):
        return cll.CustomLevel(sql_condition=sql, label_for_charts=label)

    names = cl.CustomComparison(output_column_name="names", comparison_levels=[
        cll.NullLevel("n1"),
        level(_both("n1_l = n1_r", "n2_l = n2_r"), "exact"),
        level(_both(f"{DL}(n1_l, n1_r) <= 1", f"{DL}(n2_l, n2_r) <= 1"), "one_typo"),
        level(_both(f"{DL}(n1_l, n1_r) <= 3", f"{DL}(n2_l, n2_r) <= 3"), "similar"),
        level(f"{DL}(n1_l, n2_r) <= 1 OR {DL}(n2_l, n1_r) <= 1 OR {DL}(n1_l, n1_r) <= 1 "
              f"OR {DL}(n2_l, n2_r) <= 1", "one_adult"),
        cll.ElseLevel(),
    ])
    dates = cl.CustomComparison(output_column_name="births", comparison_levels=[
        cll.NullLevel("d1"),
        level("d1_l = d1_r AND ((d2_l IS NULL AND d2_r IS NULL) OR d2_l = d2_r)", "exact"),
        level("d1_l = d1_r OR d1_l = d2_r OR d2_l = d1_r OR d2_l = d2_r", "one_adult"),
        level("d1x_l = d1_r OR d1_l = d1x_r OR d2x_l = d2_r OR d2_l = d2x_r "
              "OR d1x_l = d2_r OR d2x_l = d1_r", "swapped"),
        level("substr(d1_l, 1, 4) = substr(d1_r, 1, 4)", "same_year"),
        cll.ElseLevel(),
    ])
    kids = cl.CustomComparison(output_column_name="children", comparison_levels=[
        cll.NullLevel("kids"),
        level("kids_l = kids_r", "exact"),
        level("len(list_intersect(string_split(kids_l, ','), string_split(kids_r, ','))) >= 1",
              "some"),
        cll.ElseLevel(),
    ])
    address = cl.CustomComparison(output_column_name="address", comparison_levels=[
        cll.NullLevel("addr"),
        level("addr_l = addr_r AND pc_l = pc_r", "exact"),
        level("street_l = street_r AND pc_l = pc_r", "building"),
        level(f"{JW}(addr_l, addr_r) >= 0.9", "similar"),
        level("pc_l = pc_r", "postcode"),
        cll.ElseLevel(),
    ])
    phone = cl.CustomComparison(output_column_name="phone", comparison_levels=[
        cll.NullLevel("phone"), level("phone_l = phone_r", "exact"), cll.ElseLevel()])
    cpr = cl.CustomComparison(output_column_name="cpr", comparison_levels=[
        cll.NullLevel("cpr"), level("cpr_l = cpr_r", "exact"), cll.ElseLevel()])
    return [names, dates, kids, address, phone, cpr]


# Which pairs are scored at all: any one of these. Each duplicate keeps at least one of them
# through one or two corruptions (a new phone and a new address still leave the birth date and
# the first letters of the names, or the children).
BLOCKING = [
    "l.org = r.org AND l.phone = r.phone",
    "l.org = r.org AND l.cpr = r.cpr",
    "l.org = r.org AND l.d1 = r.d1 AND substr(l.n1, 1, 2) = substr(r.n1, 1, 2)",
    "l.org = r.org AND l.d1 = r.d1 AND l.kids = r.kids",
    "l.org = r.org AND l.d1 = r.d2 AND l.kids = r.kids",
    "l.org = r.org AND l.d2 = r.d1 AND l.kids = r.kids",
    "l.org = r.org AND l.street = r.street AND l.pc = r.pc",
    "l.org = r.org AND l.n1 = r.n1 AND l.kids = r.kids",
]


def settings_creator():
    from splink import SettingsCreator, block_on  # noqa: F401

    return SettingsCreator(
        link_type="dedupe_only", unique_id_column_name="unique_id",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=BLOCKING,
        retain_matching_columns=False, retain_intermediate_calculation_columns=False,
    )


def frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def train(records: list[dict], *, path: Path = MODEL_PATH) -> dict:
    """Estimate the model's parameters on ``records`` and save them (benchmark only)."""
    from splink import DuckDBAPI, Linker, block_on

    linker = Linker(frame(records), settings_creator(), db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match(
        ["l.org = r.org AND l.cpr = r.cpr", "l.org = r.org AND l.phone = r.phone "
         "AND l.d1 = r.d1"], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("org", "d1"), estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("org", "phone"), estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("org", "street", "pc"), estimate_without_term_frequencies=True)
    model = linker.misc.save_model_to_json(str(path), overwrite=True)
    return model


def predict(records: list[dict], *, threshold: float = THRESHOLD,
            model: Path | dict = MODEL_PATH, evidence: bool = True) -> pd.DataFrame:
    """Scored pairs at or above ``threshold``: unique_id_l, unique_id_r, match_probability and
    one gamma_<comparison> column per comparison (the level each comparison reached)."""
    from splink import DuckDBAPI, Linker

    if not records:
        return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability"])
    settings = json.loads(Path(model).read_text()) if isinstance(model, Path) else model
    settings = {**settings, "retain_intermediate_calculation_columns": evidence,
                "retain_matching_columns": evidence,
                "blocking_rules_to_generate_predictions": [
                    {"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in BLOCKING]}
    linker = Linker(frame(records), settings, db_api=DuckDBAPI())
    result = linker.inference.predict(threshold_match_probability=threshold)
    return result.as_pandas_dataframe()


COMPARISON_LABELS = {
    "names": _("Names"), "births": _("Birth dates"), "children": _("Children"),
    "address": _("Address"), "phone": _("Phone"), "cpr": _("CPR number"),
}
LEVEL_LABELS = {
    ("names", 4): _("the same"), ("names", 3): _("one letter differs"),
    ("names", 2): _("similar"), ("names", 1): _("one adult in common"),
    ("births", 4): _("the same"), ("births", 3): _("one adult's in common"),
    ("births", 2): _("day and month swapped"), ("births", 1): _("same year"),
    ("children", 2): _("same birth years"), ("children", 1): _("some birth years in common"),
    ("address", 4): _("the same"), ("address", 3): _("same building"),
    ("address", 2): _("similar"), ("address", 1): _("same postcode"),
    ("phone", 1): _("the same"), ("cpr", 1): _("the same"),
}
DIFFERENT = _("different")
MISSING = _("not given in both")


def evidence_rows(row) -> list[list]:
    """The levels each comparison reached, as [comparison, gamma] pairs to store."""
    return [[name, int(row[f"gamma_{name}"])] for name in COMPARISON_LABELS
            if f"gamma_{name}" in row]


def evidence_texts(evidence: list[list]) -> list[tuple[str, str, bool]]:
    """(comparison, what was found, whether it speaks for the same household)."""
    out = []
    for name, gamma in evidence:
        if gamma == -1:
            text, agrees = MISSING, None
        elif gamma == 0:
            text, agrees = DIFFERENT, False
        else:
            text, agrees = LEVEL_LABELS.get((name, gamma), _("similar")), True
        out.append((str(COMPARISON_LABELS.get(name, name)), str(text), agrees))
    return out


def detect_for_round(*, actor, round) -> int:
    """Score the round's applications and store new proposals; returns how many are new."""
    from samspil.christmas import services
    from samspil.christmas.models import Application

    applications = Application.objects.filter(round=round).select_related("round")
    records = [application_record(a) for a in applications]
    pairs = predict(records)
    found = [{"first": int(row["unique_id_l"]), "second": int(row["unique_id_r"]),
              "probability": float(row["match_probability"]), "evidence": evidence_rows(row)}
             for _i, row in pairs.iterrows()]
    return services.links_store(actor=actor, round=round, pairs=found)
