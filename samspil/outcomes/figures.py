"""The dashboard's figures as people see them: each KPI against its target, with its trend
and breakdowns, and the evaluator's tables, all put through outcomes.disclosure.

The same Dashboard object feeds the page, the PDF, the XLSX and the CSV; they print `display`
values only, never the raw ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from samspil.core.models import Branch, Municipality, Role, User
from samspil.engagements.models import EngagementType
from samspil.engagements.reports import LENGTH_BANDS
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


def dashboard(*, programme: Programme, on: datetime.date, policy: Policy) -> Dashboard:
    targets = {t.kpi: t for t in programme.targets.all()}
    months = kpis.trend_months(programme, on)
    computed: dict = {}
    figures = []
    branch_names = municipality_names = None
    for kpi in Kpi.values:
        if kpi not in targets and kpi not in (Kpi.REACH,):
            continue
        figure = KpiFigure(kpi=kpi, label=str(Kpi(kpi).label), is_rate=kpi in RATE_KPIS,
                           target=targets.get(kpi))
        if kpi in RATE_KPIS:
            function = kpis.RATE_KPI_FUNCTIONS[kpi]
            if function not in computed:  # each KPI function runs once per dashboard
                computed[function] = function(programme, on)
            rows = computed[function]
            eligible, responded, hits = rows.at(on)
            figure.eligible = disclosure.count(eligible, policy)
            figure.responded = disclosure.count(responded, policy)
            figure.share = disclosure.share(hits, responded, policy)
            figure.response_rate = disclosure.share(responded, eligible, policy)
            for month in months:
                _e, r, h = rows.at(month)
                s = disclosure.share(h, r, policy)
                figure.trend.append((month, s.display, s.percent or 0))
            by_branch, by_municipality = rows.by("branch_id", on), rows.by("municipality_id", on)
            breakdown = _rate_breakdown
        else:
            function, group = kpis.COUNT_KPIS[kpi]
            if function not in computed:
                computed[function] = function(programme, on)
            rows = computed[function]
            figure.value = disclosure.count(rows.value(on, group=group), policy)
            series = disclosure.cumulative_series(
                [rows.value(month, group=group) for month in months], policy)
            figure.trend = [(month, c.display, 0 if c.hidden else c.value)
                            for month, c in zip(months, series, strict=True)]
            by_branch = rows.by("branch_id", on, group=group)
            by_municipality = rows.by("municipality_id", on, group=group)
            breakdown = _count_breakdown
        if branch_names is None:
            branch_names = {b.pk: b.name for b in
                            Branch.objects.filter(organisation_id=programme.organisation_id)}
            municipality_names = {m.pk: m.name for m in Municipality.objects.all()}
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
                     benefit=_benefit(programme, on, policy),
                     lengths=_lengths(programme, on, policy),
                     who5=_who5(programme, on, policy), months=months)


def _type_label(value: str) -> str:
    return str(EngagementType(value).label) if value in EngagementType.values else value


def _benefit(programme, on, policy) -> list[dict]:
    out = []
    for row in kpis.benefit_by_type(programme, on):
        out.append({
            "type": _type_label(row.type),
            "ended": disclosure.count(row.ended, policy),
            "responded": disclosure.count(row.responded, policy),
            "great": disclosure.share(row.great, row.responded, policy),
            "response_rate": disclosure.share(row.responded, row.ended, policy),
        })
    return out


def _lengths(programme, on, policy) -> list[dict]:
    out = []
    for type_, lengths in kpis.lengths_by_type(programme, on).items():
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


def _who5(programme, on, policy) -> dict:
    change = kpis.who5_change(programme, on)
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
