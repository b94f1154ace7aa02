"""Small-number protection: the ONE place every published figure goes through.

Rules (Danmarks Statistik's practice, docs/outcomes.md):
- a count of 1 to threshold-1 people is shown as "<threshold" (default 5, never below 3);
- a share is hidden when its denominator is under the threshold, or when the people counted
  (numerator) or the people not counted (denominator - numerator) are 1 to threshold-1, since
  the share and its n would give them away;
- in a row of cells that add up to a shown total (a breakdown by branch or municipality), if
  exactly one cell is hidden the smallest other non-zero cell is hidden too, so no hidden cell
  can be recovered by subtracting the shown ones from the total.

A Policy says whether a viewer sees exact figures; `exact=True` bypasses all of it (an
organisation administrator on screen). Every figure object carries its raw value and its
display, so templates, PDF, XLSX and CSV print the display and never the raw value.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


def threshold() -> int:
    return max(3, int(getattr(settings, "OUTCOMES_SMALL_NUMBER_THRESHOLD", 5)))


@dataclass(frozen=True)
class Policy:
    exact: bool = False
    limit: int = 5
    # Branches whose rows the viewer may see exactly (a coordinator's own branches).
    exact_branches: frozenset[int] = frozenset()

    @classmethod
    def suppressed(cls) -> Policy:
        return cls(exact=False, limit=threshold())

    @classmethod
    def exact_figures(cls) -> Policy:
        return cls(exact=True, limit=threshold())

    @classmethod
    def for_branches(cls, branch_ids) -> Policy:
        return cls(exact=False, limit=threshold(), exact_branches=frozenset(branch_ids))

    def small(self, n: int | None) -> bool:
        return not self.exact and n is not None and 0 < n < self.limit


@dataclass(frozen=True)
class Count:
    value: int
    hidden: bool = False
    limit: int = 5

    @property
    def display(self) -> str:
        """The value; "<5" for a small one; "x" for one hidden only so that a small one cannot
        be worked out from the total (it is not small itself)."""
        if not self.hidden:
            return str(self.value)
        return f"<{self.limit}" if self.value < self.limit else "x"

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True)
class Share:
    """k of n, with the percentage shown only when it gives no small number away."""

    numerator: int
    denominator: int
    hidden: bool = False

    @property
    def percent(self) -> float | None:
        if self.hidden or not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @property
    def display(self) -> str:
        percent = self.percent
        return "–" if percent is None else f"{percent:g} %"

    def __str__(self) -> str:
        return self.display


def count(n: int, policy: Policy) -> Count:
    return Count(n, hidden=policy.small(n), limit=policy.limit)


def share(k: int, n: int, policy: Policy) -> Share:
    hidden = not policy.exact and (n < policy.limit or policy.small(k) or policy.small(n - k))
    return Share(k, n, hidden=hidden)


def counts_with_total(values: list[int], policy: Policy,
                      exact_cells: list[bool] | None = None) -> tuple[list[Count], Count]:
    """Cells of a breakdown and their total, with secondary suppression (see above). Cells in
    `exact_cells` the viewer may see exactly (her own branch): never hidden, and no use as the
    second hidden cell, since she knows them anyway."""
    exact_cells = exact_cells or [False] * len(values)
    total = count(sum(values), policy)
    cells = [Count(v, limit=policy.limit) if known else count(v, policy)
             for v, known in zip(values, exact_cells, strict=True)]
    if policy.exact:
        return cells, total
    hidden = [i for i, c in enumerate(cells) if c.hidden]
    if len(hidden) == 1 and not total.hidden:
        others = [i for i, c in enumerate(cells)
                  if not c.hidden and c.value > 0 and not exact_cells[i]]
        if others:
            smallest = min(others, key=lambda i: cells[i].value)
            cells[smallest] = Count(cells[smallest].value, hidden=True, limit=policy.limit)
        else:
            total = Count(total.value, hidden=True, limit=policy.limit)
    return cells, total


def shares_with_total(pairs: list[tuple[int, int]], policy: Policy,
                      exact_cells: list[bool] | None = None) -> list[Share]:
    """Shares (k of n) per breakdown row: the same secondary rule as counts_with_total, on the
    rows, so a hidden row's share cannot be recovered from the total row and the others."""
    exact_cells = exact_cells or [False] * len(pairs)
    shares = [Share(k, n) if known else share(k, n, policy)
              for (k, n), known in zip(pairs, exact_cells, strict=True)]
    if policy.exact:
        return shares
    hidden = [i for i, s in enumerate(shares) if s.hidden and s.denominator > 0]
    if len(hidden) == 1:
        others = [i for i, s in enumerate(shares)
                  if not s.hidden and s.denominator > 0 and not exact_cells[i]]
        if others:
            smallest = min(others, key=lambda i: shares[i].denominator)
            s = shares[smallest]
            shares[smallest] = Share(s.numerator, s.denominator, hidden=True)
    return shares


def cumulative_series(values: list[int], policy: Policy) -> list[Count]:
    """A running total month by month (a trend): a point is hidden when it is small or when
    its rise from the last point shown is small, since the difference would be a small cell."""
    if policy.exact:
        return [Count(v, limit=policy.limit) for v in values]
    out, last_shown = [], 0
    for v in values:
        hidden = policy.small(v) or policy.small(abs(v - last_shown))
        out.append(Count(v, hidden=hidden, limit=policy.limit))
        if not hidden:
            last_shown = v
    return out
