import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
forest_module = pytest.importorskip("_uplift_forest")
CRITERIA, UpliftForest = forest_module.CRITERIA, forest_module.UpliftForest
apply_cuts, bin_cuts = forest_module.apply_cuts, forest_module.bin_cuts


def _campaign(n=4000, seed=0):
    """The treatment lifts the outcome by 0.25 where x0 > 0, not at all elsewhere."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    treatment = rng.integers(0, 2, n)
    rate = 0.2 + 0.25 * treatment * (X[:, 0] > 0)
    return X, (rng.random(n) < rate).astype(int), treatment


@pytest.mark.parametrize("criterion", CRITERIA)
def test_finds_the_planted_effect(criterion):
    X, y, treatment = _campaign()
    forest = UpliftForest(n_estimators=20, max_depth=3, criterion=criterion, random_state=0)
    uplift = forest.fit(X, y, treatment).predict(X)
    assert uplift[X[:, 0] > 0.5].mean() > 0.15
    assert abs(uplift[X[:, 0] < -0.5].mean()) < 0.08


def test_honest_and_rate_scaled_settings_find_it_too():
    X, y, treatment = _campaign()
    forest = UpliftForest(
        n_estimators=20,
        max_depth=3,
        honest=True,
        min_samples_leaf="auto",
        shrinkage="auto",
        random_state=0,
    )
    uplift = forest.fit(X, y, treatment).predict(X)
    assert uplift[X[:, 0] > 0.5].mean() - uplift[X[:, 0] < -0.5].mean() > 0.12


def test_same_seed_same_forest_and_monotone_features_do_not_matter():
    X, y, treatment = _campaign(n=1500)
    first = UpliftForest(n_estimators=5, random_state=3).fit(X, y, treatment).predict(X)
    again = UpliftForest(n_estimators=5, random_state=3).fit(X, y, treatment).predict(X)
    stretched = UpliftForest(n_estimators=5, random_state=3).fit(np.exp(X), y, treatment)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_allclose(stretched.predict(np.exp(X)), first)


def test_bins_keep_few_values_apart_and_send_nan_last():
    X = np.array([[1.0, 0.0], [2.0, 5.0], [3.0, np.nan], [2.0, 7.0]])
    cuts = bin_cuts(X, max_bins=8)
    np.testing.assert_allclose(cuts[0], [1.5, 2.5])
    np.testing.assert_array_equal(apply_cuts(X, cuts)[:, 1], [0, 1, 2, 2])


def test_wrong_inputs_are_named():
    X, y, treatment = _campaign(n=200)
    with pytest.raises(ValueError, match="criterion must be one of"):
        UpliftForest(criterion="gini").fit(X, y, treatment)
    with pytest.raises(ValueError, match="y has 199"):
        UpliftForest().fit(X, y[:-1], treatment)
    with pytest.raises(ValueError, match="0/1"):
        UpliftForest().fit(X, y * 2, treatment)
    fitted = UpliftForest(n_estimators=2).fit(X, y, treatment)
    with pytest.raises(ValueError, match="fit saw 3"):
        fitted.predict(X[:, :2])
