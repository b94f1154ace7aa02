"""The dashboard's figures as people see them: each KPI against its target, with its trend
and breakdowns, and the evaluator's tables, all put through outcomes.disclosure.

The same Dashboard object feeds the page, the PDF, the XLSX and the CSV; they print `display`
values only, never the raw ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from samspil.core.models import Branch, Municipality, Role, User
from samspil.engagements.models import EngagementType
from samspil.engagements.reports import LENGTH_BANDS, LengthFigures
from samspil.outcomes import disclosure, kpis
from samspil.outcomes.disclosure import Count, Policy, Share
from samspil.outcomes.models import RATE_KPIS, Kpi, Programme, Target


def policy_for(user: User, *, publication: bool = False) -> Policy:
    """Who sees exact figures (docs/roles.md): an organisation administrator on screen; a
    coordinator her own branches' rows; everyone else, and every download, suppressed."""
    if publication:
        return Policy.suppressed()
    if user.role == Role.ORG_ADMIN:
        return Policy.exact_figures()
    if user.role == Role.COORDINATOR:
        return Policy.for_branches(user.branches.values_list("pk", flat=True))
    return Policy.suppressed()


@dataclass
class BreakdownRow:
    label: str
    value: Count | None = None  # counts
    eligible: Count | None = None  # rates
    responded: Count | None = None
    share: Share | None = None
    response_rate: Share | None = None


@dataclass
class KpiFigure:
    kpi: str
    label: str
    is_rate: bool
    target: Target | None
    value: Count | None = None
    eligible: Count | None = None
    responded: Count | None = None
    share: Share | None = None
    response_rate: Share | None = None
    trend: list[tuple[datetime.date, str, float]] = field(default_factory=list)
    by_branch: list[BreakdownRow] = field(default_factory=list)
    by_municipality: list[BreakdownRow] = field(default_factory=list)
    chart: object = None

    @property
    def shown(self) -> str:
        return self.share.display if self.is_rate else self.value.display

    @property
    def progress(self) -> float | None:
        """Percent of the way from the baseline (or zero) to the target, 0–100; None when
        the figure is hidden or there is no target."""
        if self.target is None:
            return None
        if self.is_rate:
            if self.share.percent is None:
                return None
            current = self.share.percent
        else:
            if self.value.hidden:
                return None
            current = self.value.value
        base = float(self.target.baseline or 0)
        goal = float(self.target.value)
        return max(0.0, min(100.0, round(100 * (current - base) / (goal - base), 1)))


@dataclass
class Dashboard:
    programme: Programme
    on: datetime.date
    policy: Policy
    kpis: list[KpiFigure]
    benefit: list[dict]
    lengths: list[dict]
    who5: dict
    months: list[datetime.date]
    computed_at: datetime.datetime | None = None  # when the figures were computed
    stale: bool = False  # data changed since; a refresh is queued


def _names(model, keys) -> dict:
    return {obj.pk: obj.name for obj in model.objects.filter(pk__in=[k for k in keys if k])}


def _count_breakdown(values: dict, names: dict, policy: Policy, *, branch: bool):
    """Rows of a count breakdown, and its total as it may be shown (the headline figure must
    hide what the breakdown's total hides, or a hidden row could be worked out from it)."""
    keys = sorted(values, key=lambda k: names.get(k, ""))
    exact = [branch and k in policy.exact_branches for k in keys]
    cells, total = disclosure.counts_with_total([values[k] for k in keys], policy, exact)
    rows = [BreakdownRow(names.get(k, "–"), value=c) for k, c in zip(keys, cells, strict=True)]
    return rows, total


def _rate_breakdown(values: dict, names: dict, policy: Policy, *, branch: bool):
    """Rows of a rate breakdown. A coordinator's own branches are not shown exactly here: a
    share's numerator and denominator would both have to be protected against the total."""
    keys = sorted(values, key=lambda k: names.get(k, ""))
    eligible, _t = disclosure.counts_with_total([values[k][0] for k in keys], policy)
    responded, _t = disclosure.counts_with_total([values[k][1] for k in keys], policy)
    shares = disclosure.shares_with_total([(values[k][2], values[k][1]) for k in keys], policy)
    rates = disclosure.shares_with_total([(values[k][1], values[k][0]) for k in keys], policy)
    rows = [BreakdownRow(names.get(k, "–"), eligible=e, responded=r, share=s, response_rate=q)
            for k, e, r, s, q in zip(keys, eligible, responded, shares, rates, strict=True)]
    return rows, None


def settings_key(programme: Programme) -> str:
    """What the raw figures depend on in the programme itself: stored figures made under
    another period, other types, kinds or the Christmas-aid setting are not shown."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps([
        programme.starts_on.isoformat(), programme.ends_on.isoformat(),
        sorted(programme.engagement_types), sorted(programme.activity_kinds),
        programme.counts_christmas_aid], sort_keys=True).encode()).hexdigest()


def _pairs(values: dict) -> list:
    return [[k, list(v) if isinstance(v, tuple) else v] for k, v in values.items()]


def raw_figures(programme: Programme, on: datetime.date) -> dict:
    """Every KPI's raw figures on the day (value, monthly trend, breakdowns) and the
    evaluator's tables, before the small-number rules, as plain JSON data. This is what is
    stored (outcomes.models.FigureSnapshot); dashboard_from() turns it into what people see.
    Every KPI is computed, whether it has a target or not, so a new target needs no refresh."""
    months = kpis.trend_months(programme, on)
    computed: dict = {}
    counts, rates = {}, {}
    for kpi in Kpi.values:
        if kpi in RATE_KPIS:
            function = kpis.RATE_KPI_FUNCTIONS[kpi]
            if function not in computed:  # each KPI function runs once
                computed[function] = function(programme, on)
            rows = computed[function]
            rates[kpi] = {
                "at": list(rows.at(on)), "trend": [list(rows.at(m)) for m in months],
                "by_branch": _pairs(rows.by("branch_id", on)),
                "by_municipality": _pairs(rows.by("municipality_id", on))}
        else:
            function, group = kpis.COUNT_KPIS[kpi]
            if function not in computed:
                computed[function] = function(programme, on)
            rows = computed[function]
            counts[kpi] = {
                "value": rows.value(on, group=group),
                "trend": [rows.value(m, group=group) for m in months],
                "by_branch": _pairs(rows.by("branch_id", on, group=group)),
                "by_municipality": _pairs(rows.by("municipality_id", on, group=group))}
    change = kpis.who5_change(programme, on)
    return {
        "on": on.isoformat(), "months": [m.isoformat() for m in months],
        "counts": counts, "rates": rates,
        "benefit": [[r.type, r.ended, r.responded, r.great]
                    for r in kpis.benefit_by_type(programme, on)],
        "lengths": [[t, lf.counts, lf.mean_weeks, lf.median_weeks]
                    for t, lf in kpis.lengths_by_type(programme, on).items()],
        "who5": [change.pairs, change.mean_start, change.mean_end, change.mean_change,
                 change.improved, change.worsened],
    }


def dashboard(*, programme: Programme, on: datetime.date, policy: Policy) -> Dashboard:
    """The dashboard computed live (the definition; stored figures must equal it)."""
    return dashboard_from(programme=programme, raw=raw_figures(programme, on), policy=policy,
                          computed_at=timezone.now())


def current_dashboard(*, programme: Programme, on: datetime.date, policy: Policy) -> Dashboard:
    """The dashboard from the stored figures (services.figures_current): what the page and
    the downloads show, with the time the figures were computed."""
    from samspil.outcomes import services

    snapshot = services.figures_current(programme=programme, on=on)
    return dashboard_from(programme=programme, raw=snapshot.data, policy=policy,
                          computed_at=snapshot.computed_at,
                          stale=snapshot.stale or snapshot.on != on)


def dashboard_from(*, programme: Programme, raw: dict, policy: Policy,
                   computed_at: datetime.datetime | None = None,
                   stale: bool = False) -> Dashboard:
    """The dashboard as people see it from raw figures (raw_figures(), live or stored)."""
    targets = {t.kpi: t for t in programme.targets.all()}
    on = datetime.date.fromisoformat(raw["on"])
    months = [datetime.date.fromisoformat(m) for m in raw["months"]]
    figures = []
    branch_names = {b.pk: b.name for b in
                    Branch.objects.filter(organisation_id=programme.organisation_id)}
    municipality_names = {m.pk: m.name for m in Municipality.objects.all()}
    for kpi in Kpi.values:
        if kpi not in targets and kpi not in (Kpi.REACH,):
            continue
        figure = KpiFigure(kpi=kpi, label=str(Kpi(kpi).label), is_rate=kpi in RATE_KPIS,
                           target=targets.get(kpi))
        if kpi in RATE_KPIS:
            rows = raw["rates"][kpi]
            eligible, responded, hits = rows["at"]
            figure.eligible = disclosure.count(eligible, policy)
            figure.responded = disclosure.count(responded, policy)
            figure.share = disclosure.share(hits, responded, policy)
            figure.response_rate = disclosure.share(responded, eligible, policy)
            for month, (_e, r, h) in zip(months, rows["trend"], strict=True):
                s = disclosure.share(h, r, policy)
                figure.trend.append((month, s.display, s.percent or 0))
            breakdown = _rate_breakdown
            by_branch = {k: tuple(v) for k, v in rows["by_branch"]}
            by_municipality = {k: tuple(v) for k, v in rows["by_municipality"]}
        else:
            rows = raw["counts"][kpi]
            figure.value = disclosure.count(rows["value"], policy)
            series = disclosure.cumulative_series(rows["trend"], policy)
            figure.trend = [(month, c.display, 0 if c.hidden else c.value)
                            for month, c in zip(months, series, strict=True)]
            breakdown = _count_breakdown
            by_branch = dict(rows["by_branch"])
            by_municipality = dict(rows["by_municipality"])
        figure.by_branch, branch_total = breakdown(by_branch, branch_names, policy, branch=True)
        figure.by_municipality, municipality_total = breakdown(
            by_municipality, municipality_names, policy, branch=False)
        if figure.value is not None and any(t is not None and t.hidden
                                            for t in (branch_total, municipality_total)):
            figure.value = Count(figure.value.value, hidden=True, limit=policy.limit)
        figures.append(figure)
    for figure in figures:
        figure.chart = trend_chart(figure, months)
    return Dashboard(programme=programme, on=on, policy=policy, kpis=figures,
                     benefit=_benefit(raw["benefit"], policy),
                     lengths=_lengths(raw["lengths"], policy),
                     who5=_who5(raw["who5"], policy), months=months,
                     computed_at=computed_at, stale=stale)


def _type_label(value: str) -> str:
    return str(EngagementType(value).label) if value in EngagementType.values else value


def _benefit(rows: list, policy) -> list[dict]:
    out = []
    for type_, ended, responded, great in rows:
        out.append({
            "type": _type_label(type_),
            "ended": disclosure.count(ended, policy),
            "responded": disclosure.count(responded, policy),
            "great": disclosure.share(great, responded, policy),
            "response_rate": disclosure.share(responded, ended, policy),
        })
    return out


def _lengths(rows: list, policy) -> list[dict]:
    out = []
    for type_, counts, mean_weeks, median_weeks in rows:
        lengths = LengthFigures(counts=counts, mean_weeks=mean_weeks, median_weeks=median_weeks)
        cells, total = disclosure.counts_with_total(
            [lengths.counts[key] for key, _label in LENGTH_BANDS], policy)
        shares = disclosure.shares_with_total(
            [(lengths.counts[key], lengths.total) for key, _label in LENGTH_BANDS], policy)
        # A mean over fewer than the threshold is not shown (small numbers).
        mean = None if policy.small(lengths.total) or (
            not policy.exact and lengths.total < policy.limit) else lengths.mean_weeks
        out.append({
            "type": _type_label(type_), "total": total, "mean_weeks": mean,
            "bands": [{"label": str(label), "count": c, "share": s}
                      for (_key, label), c, s in zip(LENGTH_BANDS, cells, shares, strict=True)],
        })
    return out


def _who5(row: list, policy) -> dict:
    change = kpis.Who5Change(*row)
    visible = policy.exact or change.pairs >= policy.limit
    return {
        "pairs": disclosure.count(change.pairs, policy),
        "mean_start": change.mean_start if visible else None,
        "mean_end": change.mean_end if visible else None,
        "mean_change": change.mean_change if visible else None,
        "improved": disclosure.share(change.improved, change.pairs, policy),
        "worsened": disclosure.share(change.worsened, change.pairs, policy),
    }


def trend_chart(figure: KpiFigure, months):
    from django.utils.formats import date_format

    from samspil.engagements.charts import bar_chart

    return bar_chart(
        chart_id=f"trend-{figure.kpi}",
        title=_("%(figure)s per month") % {"figure": figure.label},
        description=_("Bar chart of the figure at the end of each month. Hidden small numbers "
                      "are drawn as zero. The same figures are in the table below."),
        categories=[(date_format(m, "M"), date_format(m, "y")) for m in months],
        series=[(figure.label, [v for _m, _d, v in figure.trend])],
    )
