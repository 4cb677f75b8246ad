"""The capacity across partitions contacts exactly the rows the one-table rule contacts."""

import numpy as np
import pytest

from actionable.distributed._capacity import capacity_cut, capped_target, eligible_counts
from actionable.production import TargetingRule


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("capacity", [1, 7, 40, 150, 10_000])
def test_partitions_contact_the_rows_one_table_contacts(seed, capacity):
    rng = np.random.default_rng(seed)
    score = rng.integers(-5, 12, 600) / 4.0  # heavy ties, a third at or below 0
    score[rng.integers(0, 600, 20)] = np.nan  # never contacted
    rule = TargetingRule(threshold=0.0, capacity=capacity)
    expected = rule.select(score)
    edges = np.sort(rng.choice(np.arange(1, 600), size=4, replace=False))
    parts = np.split(score, edges)
    cut = capacity_cut([eligible_counts(part, 0.0, capacity) for part in parts], capacity)
    if cut is None:
        found = (score > 0.0).astype(np.int64)
    else:
        pairs = zip(parts, cut.quotas, strict=True)
        found = np.concatenate([capped_target(part, cut.score, quota) for part, quota in pairs])
    np.testing.assert_array_equal(found, expected)
    assert found.sum() == min(capacity, np.count_nonzero(score > 0.0))
