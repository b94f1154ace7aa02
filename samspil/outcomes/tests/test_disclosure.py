"""Small numbers: what a viewer without access to the people sees."""

from __future__ import annotations

import pytest
from django.test import override_settings

from samspil.outcomes import disclosure
from samspil.outcomes.disclosure import Policy

HIDDEN = Policy.suppressed()
EXACT = Policy.exact_figures()


@pytest.mark.parametrize("n, shown", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (120, "120")])
def test_counts_under_five_are_shown_as_under_five(n, shown):
    assert disclosure.count(n, HIDDEN).display == shown


def test_exact_figures_show_everything():
    assert disclosure.count(3, EXACT).display == "3"
    assert disclosure.share(1, 3, EXACT).display == "33.3 %"


@pytest.mark.parametrize("k, n, shown", [
    (2, 4, "–"),  # fewer than five asked
    (3, 40, "–"),  # the three would follow from 7.5 % of 40
    (38, 40, "–"),  # so would the two who did not
    (20, 40, "50 %"),
    (0, 10, "0 %"),
    (10, 10, "100 %"),
])
def test_shares_that_would_give_a_small_number_away_are_hidden(k, n, shown):
    assert disclosure.share(k, n, HIDDEN).display == shown


def test_a_single_hidden_cell_takes_the_smallest_other_with_it():
    cells, total = disclosure.counts_with_total([3, 12, 7, 40], HIDDEN)
    assert [c.display for c in cells] == ["<5", "12", "x", "40"]
    assert total.display == "62"
    # 62 - 12 - 40 = 10 is the sum of two hidden cells, so neither can be recovered.


def test_two_hidden_cells_are_enough():
    cells, total = disclosure.counts_with_total([3, 2, 7, 40], HIDDEN)
    assert [c.display for c in cells] == ["<5", "<5", "7", "40"]


def test_the_viewers_own_branch_is_exact_and_the_total_then_protects_the_other():
    # A coordinator knows her own branch (12); the only other branch has 3.
    cells, total = disclosure.counts_with_total([12, 3], HIDDEN, exact_cells=[True, False])
    assert [c.display for c in cells] == ["12", "<5"]
    assert total.hidden and total.display == "x"


def test_shares_in_a_breakdown_protect_each_other():
    shares = disclosure.shares_with_total([(1, 3), (10, 20), (30, 60)], HIDDEN)
    assert [s.display for s in shares] == ["–", "–", "50 %"]


def test_a_trend_hides_small_rises():
    series = disclosure.cumulative_series([0, 6, 8, 20, 20, 23], HIDDEN)
    assert [c.display for c in series] == ["0", "6", "x", "20", "20", "x"]


@override_settings(OUTCOMES_SMALL_NUMBER_THRESHOLD=10)
def test_the_threshold_is_configurable():
    assert disclosure.count(9, Policy.suppressed()).display == "<10"


@override_settings(OUTCOMES_SMALL_NUMBER_THRESHOLD=1)
def test_the_threshold_is_never_below_three():
    assert disclosure.count(2, Policy.suppressed()).display == "<3"
