"""The baseline plan-all is compared with: first come, first served.

The engagements are taken in referral order (the longest-waiting first); each gets the cheapest
volunteer the hard rules allow who still has a free place, and keeps her. This is what matching
by hand one family at a time amounts to. It is fast and fair in its own way, but an early family
can take the only volunteer a later family could have had, and a near volunteer can go to a
family that had another one just as near.
"""

from __future__ import annotations

import numpy as np

# Sort keys are cost * n + volunteer index: unique, so ties go to the lower index everywhere.
NOT_ALLOWED = np.iinfo(np.int64).max


class FirstComeFirstServed:
    def __init__(self, free: np.ndarray):
        self.remaining = np.array(free, dtype=np.int64, copy=True)

    def take(self, candidates: np.ndarray, keys_row: np.ndarray | None = None,
             more_allowed: bool = False) -> int:
        """The volunteer index for the next engagement in line, or -1.

        candidates: allowed volunteer indices, cheapest first (the first K of the row). When
        all of them are taken and more_allowed says the row has further allowed volunteers,
        the whole row of sort keys is searched.
        """
        if len(candidates):
            free = self.remaining[candidates] > 0
            if free.any():
                v = int(candidates[int(free.argmax())])
                self.remaining[v] -= 1
                return v
        if keys_row is None or not more_allowed:
            return -1
        keys = np.where(self.remaining > 0, keys_row, NOT_ALLOWED)
        v = int(keys.argmin())
        if keys[v] == NOT_ALLOWED:
            return -1
        self.remaining[v] -= 1
        return v


def greedy_assign(keys: np.ndarray, free: np.ndarray) -> np.ndarray:
    """First come, first served over a full matrix of sort keys (rows in referral order;
    NOT_ALLOWED where the rules forbid the pair). For tests and small instances."""
    baseline = FirstComeFirstServed(free)
    empty = np.zeros(0, dtype=np.int64)
    return np.array([baseline.take(empty, row, True) for row in keys], dtype=np.int64)
