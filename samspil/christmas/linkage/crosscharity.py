"""Across charities without sharing identities: privacy-preserving linkage encodings.

Each organisation encodes its own applications with a key the participating organisations
share, exports only the encodings, and imports the others' files to flag likely overlaps.
What is in a file, and what someone holding it could learn, is in docs/cross-charity-linkage.md.

Encoding (format ``samspil-linkage-1``), per application:
- ``cpr``: HMAC-SHA256 of the applicant's normalised CPR number under a key derived from the
  shared key, hex; null when no CPR was given;
- three Bloom filters of ``BLOOM_BITS`` bits with ``HASHES`` positions per token (the 16
  two-byte words of the token's HMAC-SHA256 under a per-field key, modulo the length; the
  CLK construction of Schnell et al. 2009 with keyed hashing): ``names`` (padded bigrams of
  every adult's name tokens), ``births`` (each adult's birth date, birth year and the unordered
  day/month pair, and each child's birth year), ``address`` (padded bigrams of street and
  number, the postcode, the last 8 digits of the phone);
- ``blocks``: keyed hashes (16 hex digits) of each adult's birth date, the phone, the CPR,
  postcode with street and number, and postcode with the children's birth years, used only to
  choose which pairs to compare;
- ``ref``: a random identifier of the application, meaningless outside the organisation.
Pairs sharing a block are scored by the weighted Dice coefficients of the three filters; the
same CPR hash is a match on its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections import defaultdict

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspil.christmas.linkage.records import address_key, fold, phone_key

FORMAT = "samspil-linkage-1"
BLOOM_BITS = 1024
HASHES = 16  # one HMAC-SHA256 digest gives 16 positions of 10 bits
WEIGHTS = {"names": 0.45, "births": 0.35, "address": 0.20}
THRESHOLD = 0.80
BYTES = BLOOM_BITS // 8


def _subkey(key: str, purpose: str) -> bytes:
    return hmac.new(key.encode(), f"samspil-linkage|{purpose}".encode(), hashlib.sha256).digest()


def key_check(key: str) -> str:
    """A value both sides compute to see that they use the same key; reveals nothing of it."""
    return _subkey(key, "check").hex()[:16]


def _bigrams(text: str) -> list[str]:
    padded = f" {text} "
    return [padded[i:i + 2] for i in range(len(padded) - 1)]


def _bloom(tokens: list[str], keyed) -> bytes:
    """``keyed`` is an HMAC object under the field's key; each token hashes a copy of it."""
    bits = np.zeros(BLOOM_BITS, dtype=np.uint8)
    if tokens:
        digests = []
        for token in set(tokens):
            h = keyed.copy()
            h.update(token.encode())
            digests.append(h.digest())
        bits[np.frombuffer(b"".join(digests), dtype=">u2") % BLOOM_BITS] = 1
    return np.packbits(bits).tobytes()


class Encoder:
    def __init__(self, key: str):
        self.keys = {name: _subkey(key, name) for name in
                     ("names", "births", "address", "cpr", "blocks")}
        self.hmacs = {name: hmac.new(k, digestmod=hashlib.sha256) for name, k in self.keys.items()}

    def _block(self, value: str) -> str:
        h = self.hmacs["blocks"].copy()
        h.update(value.encode())
        return h.hexdigest()[:16]

    def encode(self, *, ref: str, adults: list[tuple[str, str, object]], children: list[int],
               address: str, postcode: str, phone: str, cpr: str | None) -> dict:
        """adults: (first name, last name, birth date) for each adult; cpr: normalised or None."""
        name_tokens, birth_tokens, blocks = [], [], []
        for first, last, born in adults:
            for token in fold(f"{first} {last}").replace("-", " ").split():
                name_tokens += _bigrams("".join(c for c in token if c.isalpha()))
            day, month = sorted((born.day, born.month))
            birth_tokens += [f"d:{born.isoformat()}", f"y:{born.year}", f"md:{day}-{month}"]
            blocks.append(f"d:{born.isoformat()}")
        birth_tokens += [f"k:{year}" for year in children]
        _full, street = address_key(address)
        blocks.append(f"street:{postcode}:{street}")
        blocks.append(f"kids:{postcode}:{','.join(map(str, sorted(children)))}")
        tel = phone_key(phone)
        address_tokens = _bigrams(street) + [f"pc:{postcode}"] + ([f"tel:{tel}"] if tel else [])
        if tel:
            blocks.append(f"tel:{tel}")
        cpr_hash = (hmac.new(self.keys["cpr"], cpr.encode(), hashlib.sha256).hexdigest()
                    if cpr else None)
        if cpr_hash:
            blocks.append(f"cpr:{cpr_hash}")
        return {
            "ref": ref, "cpr": cpr_hash,
            "names": base64.b64encode(_bloom(name_tokens, self.hmacs["names"])).decode(),
            "births": base64.b64encode(_bloom(birth_tokens, self.hmacs["births"])).decode(),
            "address": base64.b64encode(_bloom(address_tokens, self.hmacs["address"])).decode(),
            "blocks": sorted({self._block(b) for b in blocks}),
        }


def _matrix(records: list[dict], field: str) -> np.ndarray:
    raw = b"".join(base64.b64decode(r[field]) for r in records)
    return np.frombuffer(raw, dtype=np.uint64).reshape(len(records), BYTES // 8)


def compare(ours: list[dict], theirs: list[dict], *, threshold: float = THRESHOLD
            ) -> list[tuple[int, int, float, str]]:
    """(index in ours, index in theirs, score, method) for pairs at or above the threshold."""
    if not ours or not theirs:
        return []
    index = defaultdict(list)
    for j, record in enumerate(theirs):
        for block in record["blocks"]:
            index[block].append(j)
    left, right = [], []
    for i, record in enumerate(ours):
        seen = set()
        for block in record["blocks"]:
            for j in index.get(block, ()):
                if j not in seen:
                    seen.add(j)
                    left.append(i)
                    right.append(j)
    if not left:
        return []
    li, ri = np.array(left), np.array(right)
    score = np.zeros(len(li))
    for field, weight in WEIGHTS.items():
        a, b = _matrix(ours, field)[li], _matrix(theirs, field)[ri]
        common = np.bitwise_count(a & b).sum(axis=1)
        total = np.bitwise_count(a).sum(axis=1) + np.bitwise_count(b).sum(axis=1)
        score += weight * np.where(total > 0, 2 * common / np.maximum(total, 1), 0)
    ours_cpr = np.array([r["cpr"] or "" for r in ours], dtype=object)[li]
    theirs_cpr = np.array([r["cpr"] or "" for r in theirs], dtype=object)[ri]
    same_cpr = (ours_cpr == theirs_cpr) & (ours_cpr != "")
    keep = same_cpr | (score >= threshold)
    return [(int(i), int(j), float(1.0 if c else s), "cpr" if c else "bloom")
            for i, j, s, c in zip(li[keep], ri[keep], score[keep], same_cpr[keep], strict=True)]


# --- the product's side: export a round, import another charity's file -------------------------

def _encode_round(round) -> tuple[list, list[dict]]:
    from samspil.christmas.models import Application
    from samspil.households import cpr as cpr_module

    encoder = Encoder(round.linkage_key)
    applications = list(Application.objects.filter(round=round).order_by("id"))
    records = []
    for a in applications:
        adults = [(a.first_name, a.last_name, a.birth_date)]
        if a.other_first_name and a.other_birth_date:
            adults.append((a.other_first_name, a.other_last_name, a.other_birth_date))
        number = cpr_module.decrypt(a.cpr_encrypted) if a.cpr_encrypted else None
        records.append(encoder.encode(
            ref=str(a.linkage_ref), adults=adults, children=a.children_birth_years,
            address=a.address, postcode=a.postcode_id, phone=a.phone, cpr=number))
    return applications, records


def export_round(*, round) -> dict:
    _applications, records = _encode_round(round)
    return {"format": FORMAT, "year": round.year, "key_check": key_check(round.linkage_key),
            "parameters": {"bloom_bits": BLOOM_BITS, "hashes": HASHES}, "records": records}


def _read(upload) -> dict:
    try:
        payload = json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        payload = None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValidationError({"file": _("This is not a linkage encodings file from Samspil.")})
    records = payload.get("records")
    if not isinstance(records, list):
        raise ValidationError({"file": _("This is not a linkage encodings file from Samspil.")})
    for r in records:
        try:
            ok = (isinstance(r, dict) and isinstance(r.get("ref"), str) and len(r["ref"]) <= 64
                  and all(len(base64.b64decode(r[f], validate=True)) == BYTES for f in WEIGHTS)
                  and isinstance(r.get("blocks"), list)
                  and all(isinstance(b, str) for b in r["blocks"])
                  and (r.get("cpr") is None or isinstance(r.get("cpr"), str)))
        except (KeyError, ValueError, TypeError):
            ok = False
        if not ok:
            raise ValidationError({"file": _("The file is damaged: a record is incomplete.")})
    return payload


@transaction.atomic
def import_file(*, actor, round, partner: str, upload) -> int:
    """Compare another charity's encodings with this round's; store and return the overlaps."""
    from samspil.christmas.models import Overlap, OverlapImport
    from samspil.core.services import audit_record

    if not round.linkage_key_encrypted:
        raise ValidationError(_("Set the shared key first."))
    payload = _read(upload)
    if payload.get("key_check") != key_check(round.linkage_key):
        raise ValidationError({"file": _(
            "The file was made with another key. All charities must use the same shared key.")})
    applications, ours = _encode_round(round)
    theirs = payload["records"]
    source = OverlapImport.objects.create(round=round, partner=partner, records=len(theirs),
                                          imported_by=actor)
    matches = compare(ours, theirs)
    Overlap.objects.bulk_create([
        Overlap(application=applications[i], source=source, their_ref=theirs[j]["ref"],
                score=round_score, method=method)
        for i, j, round_score, method in matches])
    audit_record(actor=actor, action="create", object_type="christmas.round", object_id=round.pk,
                 object_label=round.name,
                 summary=f"linkage import: {len(theirs)} records, {len(matches)} overlaps")
    return len({i for i, _j, _s, _m in matches})
