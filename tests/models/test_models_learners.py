"""What the learners learn: planted effects, several arms, pandas input, bad input."""

import re

import lightgbm
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from actionable._validation import MSG_NO_CONTROL, MSG_NO_TREATED
from actionable._validation._values import _MSG_TREATMENT_NOT_BINARY
from actionable.models import (
    ClassTransformation,
    DRLearner,
    SLearner,
    TLearner,
    XLearner,
    _transformed,
)
from actionable.models import _boosting as boosting
from actionable.models._base import DEFAULT_FOREST_PARAMS, default_forest_classifier

LEARNERS = [SLearner, TLearner, XLearner, DRLearner, ClassTransformation]
WITH_OUTCOMES = [SLearner, TLearner, XLearner, DRLearner]


def _planted(n_samples=6000, seed=0, treatment=None):
    """Effect +0.35 where x0 > 0 (persuadable-like), -0.25 where x0 <= 0 (sleeping dogs)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, 3))
    if treatment is None:
        treatment = rng.integers(0, 2, n_samples)
    effect = np.where(X[:, 0] > 0, 0.35, -0.25)
    base = 0.4 + 0.1 * np.tanh(X[:, 1])
    y = (rng.random(n_samples) < base + (treatment == 1) * effect).astype(int)
    return X, y, treatment, effect


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_recovers_the_sign_of_a_planted_effect(cls):
    X, y, treatment, effect = _planted()
    X_new, _, _, effect_new = _planted(2000, seed=1)
    uplift = cls(random_state=0).fit(X, y, treatment).predict(X_new)
    positive = effect_new > 0
    assert uplift[positive].mean() > 0.15
    assert uplift[~positive].mean() < -0.08
    assert np.mean(np.sign(uplift) == np.sign(effect_new)) > 0.85


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_recovers_the_effect_with_an_unbalanced_treated_share(cls):
    rng = np.random.default_rng(5)
    treatment = (rng.random(8000) < 0.8).astype(int)
    X, y, treatment, effect = _planted(8000, seed=5, treatment=treatment)
    uplift = cls(random_state=0).fit(X, y, treatment).predict(X)
    positive = effect > 0
    # the class transformation is biased by an unbalanced share unless reweighted
    assert uplift[positive].mean() == pytest.approx(0.35, abs=0.1)
    assert uplift[~positive].mean() == pytest.approx(-0.25, abs=0.1)


@pytest.mark.parametrize("cls", WITH_OUTCOMES, ids=lambda c: c.__name__)
def test_predicted_outcomes_match_the_planted_rates(cls):
    X, y, treatment, effect = _planted()
    outcomes = cls(random_state=0).fit(X, y, treatment).predict_outcomes(X)
    base = 0.4 + 0.1 * np.tanh(X[:, 1])
    positive = effect > 0
    assert outcomes[positive, 0].mean() == pytest.approx(base[positive].mean(), abs=0.05)
    assert outcomes[positive, 1].mean() == pytest.approx(base[positive].mean() + 0.35, abs=0.05)


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_several_arms_give_one_uplift_column_per_arm(cls):
    rng = np.random.default_rng(2)
    n_samples = 9000
    X = rng.normal(size=(n_samples, 3))
    arm = rng.choice(np.array(["none", "mens", "womens"]), n_samples)
    effect = np.select([arm == "mens", arm == "womens"], [0.3 * (X[:, 0] > 0), -0.2], 0.0)
    y = (rng.random(n_samples) < 0.4 + effect).astype(int)
    learner = cls(control_label="none", random_state=0).fit(X, y, arm)
    np.testing.assert_array_equal(learner.treatment_labels_, ["mens", "womens"])
    uplift = learner.predict(X)
    assert uplift.shape == (n_samples, 2)
    mens, womens = uplift[:, 0], uplift[:, 1]
    assert mens[X[:, 0] > 0].mean() - mens[X[:, 0] <= 0].mean() > 0.15
    assert womens.mean() == pytest.approx(-0.2, abs=0.08)
    if hasattr(learner, "predict_outcomes"):
        assert learner.predict_outcomes(X[:5]).shape == (5, 2, 2)
    assert np.isfinite(learner.score(X, y, arm))


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_labelled_single_arm_keeps_the_one_dimensional_api(cls):
    X, y, treatment, _ = _planted(3000)
    labels = np.where(treatment == 1, "offer", "no offer")
    learner = cls(control_label="no offer", random_state=0).fit(X, y, labels)
    assert learner.predict(X).shape == (3000,)
    np.testing.assert_array_equal(learner.treatment_labels_, ["offer"])
    binary = cls(random_state=0).fit(X, y, treatment)
    np.testing.assert_allclose(learner.predict(X), binary.predict(X))


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_treatment_not_binary_is_refused(cls):
    X, y, treatment, _ = _planted(300)
    treatment = treatment.copy()
    treatment[7] = 2
    with pytest.raises(ValueError, match=re.escape(_MSG_TREATMENT_NOT_BINARY.format(value=2))):
        cls().fit(X, y, treatment)


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_no_control_rows_is_refused(cls):
    X, y, _, _ = _planted(300)
    with pytest.raises(ValueError, match=re.escape(MSG_NO_CONTROL)):
        cls().fit(X, y, np.ones(300))
    with pytest.raises(ValueError, match="no control rows \\(value 'none'\\)"):
        cls(control_label="none").fit(X, y, np.full(300, "mail"))


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_no_treated_rows_is_refused(cls):
    X, y, _, _ = _planted(300)
    with pytest.raises(ValueError, match=re.escape(MSG_NO_TREATED)):
        cls().fit(X, y, np.zeros(300))


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_bad_outcome_and_lengths_are_refused(cls):
    X, y, treatment, _ = _planted(300)
    # a classifier outcome model needs a 0/1 y (the default model adapts to a continuous y)
    with pytest.raises(ValueError, match=r"y must contain only 0 and 1 .* got value 3"):
        cls(LogisticRegression()).fit(X, np.where(y == 1, 3, 0), treatment)
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        cls().fit(X, y, treatment[:-1])
    with pytest.raises(ValueError, match="y contains NaN at position 0"):
        cls().fit(X, np.r_[np.nan, y[1:]], treatment)
    with pytest.raises(ValueError, match="treatment contains a missing value at position 4"):
        cls(control_label="none").fit(
            X, y, pd.Series(np.where(treatment == 1, "mail", "none")).mask(np.arange(300) == 4)
        )


def test_propensity_and_cv_are_checked():
    X, y, treatment, _ = _planted(300)
    with pytest.raises(ValueError, match=r"propensity must be None .* got 1.5"):
        XLearner(propensity=1.5).fit(X, y, treatment)
    with pytest.raises(ValueError, match="cv must be an integer >= 2; got 1"):
        DRLearner(cv=1).fit(X, y, treatment)


@pytest.mark.parametrize("cls", [XLearner, DRLearner], ids=lambda c: c.__name__)
def test_propensity_can_be_known_or_modelled(cls):
    X, y, treatment, effect = _planted()
    for propensity in (0.5, LogisticRegression()):
        uplift = cls(propensity=propensity, random_state=0).fit(X, y, treatment).predict(X)
        assert uplift[effect > 0].mean() > uplift[effect < 0].mean() + 0.3


def test_continuous_outcome_with_regressors():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3000, 2))
    treatment = rng.integers(0, 2, 3000)
    spend = 10 + 2 * X[:, 1] + treatment * np.where(X[:, 0] > 0, 5.0, 0.0) + rng.normal(size=3000)
    for cls in (TLearner, XLearner, DRLearner):
        learner = cls(LinearRegression(), random_state=0).fit(X, spend, treatment)
        uplift = learner.predict(X)
        assert uplift[X[:, 0] > 0].mean() > uplift[X[:, 0] <= 0].mean() + 1.5
    # a linear S-learner can only find the average effect
    uplift = SLearner(LinearRegression()).fit(X, spend, treatment).predict(X)
    np.testing.assert_allclose(uplift, np.mean(np.where(X[:, 0] > 0, 5.0, 0.0)), atol=0.3)


def test_class_transformation_refuses_unbalanced_data_without_sample_weight():
    X, y, _, _ = _planted(1000)
    treatment = (np.arange(1000) < 700).astype(int)
    pipeline = make_pipeline(StandardScaler(), LogisticRegression())
    with pytest.raises(ValueError, match=r"Pipeline does not accept sample_weight .* \(0.700\)"):
        ClassTransformation(pipeline).fit(X, y, treatment)
    balanced = (np.arange(1000) % 2).astype(int)
    assert ClassTransformation(pipeline).fit(X, y, balanced).predict(X).shape == (1000,)


def test_class_transformation_weights_rows_only_when_the_arms_differ(monkeypatch):
    """Arms of equal size: no balancing weights (all would be 1), the same forest."""
    X, y, _, _ = _planted(2000)
    received = []
    fit = lightgbm.LGBMClassifier.fit

    def recording(self, X, y, sample_weight=None, **kwargs):
        received.append(None if sample_weight is None else np.asarray(sample_weight))
        return fit(self, X, y, sample_weight=sample_weight, **kwargs)

    monkeypatch.setattr(lightgbm.LGBMClassifier, "fit", recording)
    half = (np.arange(2000) % 2).astype(int)
    learner = ClassTransformation(random_state=0).fit(X, y, half)
    ones = np.ones(2000, dtype=np.float32)
    unit = ClassTransformation(random_state=0).fit(X, y, half, sample_weight=ones)
    np.testing.assert_array_equal(learner.predict(X), unit.predict(X))
    given = np.where(np.arange(2000) % 3 == 0, 2.0, 1.0)
    ClassTransformation(random_state=0).fit(X, y, half, sample_weight=given)
    unequal = (np.arange(2000) % 4 == 0).astype(int)  # a quarter treated
    ClassTransformation(random_state=0).fit(X, y, unequal)
    assert received[0] is None
    np.testing.assert_array_equal(received[1], ones)
    np.testing.assert_array_equal(received[2], given)
    np.testing.assert_allclose(received[3], np.where(unequal == 1, 2.0, 2.0 / 3.0), rtol=1e-6)


@pytest.mark.parametrize(
    ("n_samples", "n_trees", "tree_rows"),
    [(1_000, 200, 500), (60_000, 200, 30_000), (100_000, 120, 50_000), (10**7, 120, 50_000)],
)
def test_default_forest_learns_from_a_bounded_number_of_rows(n_samples, n_trees, tree_rows):
    forest = default_forest_classifier(n_samples)
    params = forest.get_params()
    assert params["n_estimators"] == n_trees
    assert params["subsample"] * n_samples == pytest.approx(tree_rows)
    assert params["min_child_samples"] == int(np.ceil(0.2 * tree_rows))


def test_class_transformation_samples_rows_beyond_the_cap(monkeypatch):
    monkeypatch.setattr(_transformed, "MAX_TRAINING_ROWS", 500)
    X, y, treatment, _ = _planted(2000)
    weight = np.where(np.arange(2000) % 3 == 0, 2.0, 1.0)
    learner = ClassTransformation(random_state=0).fit(X, y, treatment, sample_weight=weight)
    forest = learner.estimator_
    assert forest.get_params()["min_child_samples"] == 50  # a forest for 500 rows
    root = forest.booster_.dump_model()["tree_info"][0]["tree_structure"]
    assert root["internal_count"] <= 500
    assert learner.predict(X).shape == (2000,)
    again = ClassTransformation(random_state=0).fit(X, y, treatment, sample_weight=weight)
    np.testing.assert_array_equal(again.predict(X), learner.predict(X))


def _frame(n_samples, seed):
    rng = np.random.default_rng(seed)
    plan = rng.choice(["basic", "premium", "family"], n_samples)
    frame = pd.DataFrame(
        {
            "plan": pd.Categorical(plan, categories=["basic", "family", "premium"]),
            "tenure": rng.integers(1, 60, n_samples),
            "spend, monthly [$]": rng.gamma(2, 20, n_samples),
        }
    )
    treatment = rng.integers(0, 2, n_samples)
    effect = np.where(plan == "premium", 0.4, np.where(plan == "family", -0.2, 0.0))
    y = (rng.random(n_samples) < 0.4 + treatment * effect).astype(int)
    return frame, y, treatment


@pytest.mark.parametrize("cls", LEARNERS, ids=lambda c: c.__name__)
def test_pandas_categorical_input(cls):
    frame, y, treatment = _frame(6000, 0)
    learner = cls(random_state=0).fit(frame, y, treatment)
    np.testing.assert_array_equal(learner.feature_names_in_, frame.columns)
    new, _, _ = _frame(1000, 1)
    uplift = learner.predict(new)
    by_plan = pd.Series(uplift).groupby(new["plan"].to_numpy()).mean()
    assert by_plan["premium"] > by_plan["basic"] + 0.2 > by_plan["family"] + 0.3
    # categories listed in another order at predict time mean the same thing
    reordered = new.assign(plan=new["plan"].cat.reorder_categories(["premium", "basic", "family"]))
    np.testing.assert_allclose(learner.predict(reordered), uplift)


@pytest.mark.parametrize("cls", [TLearner, ClassTransformation], ids=lambda c: c.__name__)
def test_string_columns_become_categories(cls):
    frame, y, treatment = _frame(6000, 0)
    as_strings = frame.assign(plan=frame["plan"].astype(str).astype(object))
    learner = cls(random_state=0).fit(as_strings, y, treatment)
    categories = learner.string_categories_["plan"]
    np.testing.assert_array_equal(categories, ["basic", "family", "premium"])
    from_categories = cls(random_state=0).fit(frame, y, treatment)
    new, _, _ = _frame(500, 1)
    new_strings = new.assign(plan=new["plan"].astype(str))
    np.testing.assert_allclose(learner.predict(new_strings), from_categories.predict(new))
    unseen = new_strings.assign(plan="enterprise")
    assert np.isfinite(learner.predict(unseen)).all()  # unseen values are treated as missing


def test_numpy_input_after_frame_fit_warns_about_feature_names():
    frame, y, treatment = _frame(500, 0)
    learner = TLearner(random_state=0).fit(frame.drop(columns="plan"), y, treatment)
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        learner.predict(frame.drop(columns="plan").to_numpy())


def test_wrong_number_of_features_at_predict():
    X, y, treatment, _ = _planted(300)
    learner = SLearner(random_state=0).fit(X, y, treatment)
    with pytest.raises(ValueError, match="X has 2 features, but SLearner is expecting 3"):
        learner.predict(X[:, :2])


def test_default_models_grow_with_the_signal():
    """Early stopping: few trees where the outcome is noise, many where features tell."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(4000, 3))
    treatment = rng.integers(0, 2, 4000)
    noise = rng.integers(0, 2, 4000)
    signal = (rng.random(4000) < 1 / (1 + np.exp(-3 * X[:, 0] * X[:, 1]))).astype(int)
    on_noise = TLearner(random_state=0).fit(X, noise, treatment)
    on_signal = TLearner(random_state=0).fit(X, signal, treatment)

    def trees(learner):
        return learner.estimator_control_.n_trees_ + learner.estimator_treatment_.n_trees_

    assert trees(on_noise) < trees(on_signal) / 2
    assert on_noise.predict_outcomes(X).std(axis=0).max() < 0.1  # close to constant
    assert on_signal.predict_outcomes(X).std(axis=0).min() > 0.2


def _leaves_per_tree(model):
    return [tree["num_leaves"] for tree in model.booster_.dump_model()["tree_info"]]


def test_early_stopped_models_are_refitted_only_on_small_data(monkeypatch):
    X, y, treatment, _ = _planted(4000)
    refitted = TLearner(random_state=0).fit(X, y, treatment).estimator_control_
    # Refitted on all rows with the held-out rows' best number of trees.
    assert refitted.refitted_
    assert refitted.booster_.num_trees() == refitted.n_trees_ > 0

    monkeypatch.setattr(boosting, "REFIT_MAX_ROWS", 1000)  # each arm has ~2000 rows
    kept = TLearner(random_state=0).fit(X, y, treatment).estimator_control_
    # The early-stopped model itself, cut at its best iteration.
    assert not kept.refitted_
    assert kept.booster_.num_trees() == kept.n_trees_ > 0


def test_outcome_models_grow_large_trees_only_on_enough_rows(monkeypatch):
    rng = np.random.default_rng(6)
    X = rng.normal(size=(20_000, 4))
    logit = 2 * np.sin(2 * X[:, 0]) * X[:, 1] + X[:, 2] ** 2 - 1
    y = (rng.random(20_000) < 1 / (1 + np.exp(-logit))).astype(float)
    rich = boosting.fit_boosted("classifier", X, y, seed=0)
    # 16,000 training rows: 8-leaf trees first, then larger ones
    leaves = _leaves_per_tree(rich)
    assert rich.n_trees_ > boosting.SMALL_TREES
    assert max(leaves[: boosting.SMALL_TREES]) <= 8 < max(leaves[boosting.SMALL_TREES :])
    assert max(leaves) <= 31
    # The large trees' leaves follow the training rows (WIDE_TREES, largest first).
    monkeypatch.setattr(boosting, "WIDE_TREES", ((16_000, 48), (10_000, 40)))
    wide = _leaves_per_tree(boosting.fit_boosted("classifier", X, y, seed=0))
    assert 40 < max(wide) <= 48
    monkeypatch.setattr(boosting, "WIDE_TREES", ((17_000, 48), (10_000, 40)))
    wide = _leaves_per_tree(boosting.fit_boosted("classifier", X, y, seed=0))
    assert 31 < max(wide) <= 40
    monkeypatch.setattr(boosting, "LARGE_TREES_MIN_ROWS", 50_000)
    small_only = boosting.fit_boosted("classifier", X, y, seed=0)
    assert max(_leaves_per_tree(small_only)) <= 8
    effect = boosting.fit_boosted("regressor", X, logit, seed=0)
    assert max(_leaves_per_tree(effect)) <= boosting.REGRESSOR_PARAMS["num_leaves"]


def test_default_models_fix_the_histogram_layout_without_changing_predictions(monkeypatch):
    """Column-wise histograms, never LightGBM's timing of both layouts at each training."""
    defaults = (
        boosting.CLASSIFIER_PARAMS,
        boosting.OUTCOME_REGRESSOR_PARAMS,
        boosting.REGRESSOR_PARAMS,
        DEFAULT_FOREST_PARAMS,
    )
    assert all(params["force_col_wise"] is True for params in defaults)
    X, y, treatment, _ = _planted(4000)
    column_wise = [cls(random_state=0).fit(X, y, treatment).predict(X) for cls in LEARNERS]
    for params in defaults:
        monkeypatch.setitem(params, "force_col_wise", False)
        monkeypatch.setitem(params, "force_row_wise", True)
    row_wise = [cls(random_state=0).fit(X, y, treatment).predict(X) for cls in LEARNERS]
    for column, row in zip(column_wise, row_wise, strict=True):
        np.testing.assert_array_equal(column, row)


def test_default_models_accept_only_sample_weight_as_fit_parameter():
    X, y, treatment, _ = _planted(500)
    message = "accept only sample_weight as a fit parameter; got eval_set"
    with pytest.raises(TypeError, match=message):
        TLearner(random_state=0).fit(X, y, treatment, eval_set=[(X, y)])


def test_few_features_are_all_offered_to_every_tree():
    """With 3 features, a tree that may not split on the informative one is wasted."""
    X, y, _, effect = _planted(3000)
    model = boosting.fit_boosted("classifier", X, y.astype(float), seed=398764591)
    roots = [t["tree_structure"]["split_feature"] for t in model.booster_.dump_model()["tree_info"]]
    assert roots.count(0) > 0.8 * len(roots)


def test_passed_estimators_are_not_early_stopped():
    from lightgbm import LGBMClassifier

    X, y, treatment, _ = _planted(1000)
    base = LGBMClassifier(n_estimators=17, verbose=-1, n_jobs=1)
    learner = TLearner(base, random_state=0).fit(X, y, treatment)
    assert learner.estimator_treatment_.n_estimators == 17
    assert learner.estimator_control_.n_estimators == 17


def test_tiny_data_still_fits():
    X, y, treatment, _ = _planted(40)
    for cls in LEARNERS:
        learner = cls(random_state=0).fit(X, y, treatment)
        assert np.isfinite(learner.predict(X)).all()


def test_dr_learner_needs_enough_rows_per_arm_for_its_folds():
    X, y, _, _ = _planted(40)
    treatment = np.r_[np.ones(2), np.zeros(38)].astype(int)
    with pytest.raises(ValueError, match="cv=3 folds need at least 3 treated and 3 control rows"):
        DRLearner().fit(X, y, treatment)


def test_refit_only_where_the_rarer_outcome_is_scarce(monkeypatch):
    X, y, _, _ = _planted(4000)  # about 1,800 rows of the rarer outcome
    assert boosting.fit_boosted("classifier", X, y.astype(float), seed=0).refitted_
    monkeypatch.setattr(boosting, "REFIT_MAX_RARE_ROWS", 1000)
    assert not boosting.fit_boosted("classifier", X, y.astype(float), seed=0).refitted_
    effect = boosting.fit_boosted("regressor", X, X[:, 0], seed=0)
    assert effect.refitted_  # 4,000 rows <= REFIT_MAX_EFFECT_ROWS


def test_the_held_out_split_keeps_compact_positions_of_every_class():
    y = np.r_[np.zeros(4000), np.ones(1000)]
    train, valid = boosting._split(y, "classifier", np.random.default_rng(0))
    assert train.dtype == valid.dtype == np.int32  # half the memory of int64 positions
    assert np.intersect1d(train, valid).size == 0
    assert train.size + valid.size == y.size
    assert y[valid].mean() == pytest.approx(y.mean(), abs=0.01)  # stratified


def test_a_training_subset_drops_lightgbm_s_list_of_rows():
    import lightgbm

    X, y, _, _ = _planted(2000)
    parent = lightgbm.Dataset(X, label=y.astype(np.float32), free_raw_data=True).construct()
    rows = np.arange(0, 2000, 3, dtype=np.int32)
    subset = boosting._subset(parent, rows)
    assert subset.used_indices is None  # about 40 bytes a row, freed before training
    assert subset.num_data() == rows.size
    np.testing.assert_array_equal(subset.get_label(), y[rows])


def test_arm_indices_take_one_byte_a_row():
    from actionable.models._inputs import split_arms

    _, binary_arms = split_arms(np.array([1, 0, 1, 0]), None, 4)
    np.testing.assert_array_equal(binary_arms, [0, -1, 0, -1])
    assert binary_arms.dtype == np.int8
    labels, arms = split_arms(np.array(["a", "ctl", "b", "b"]), "ctl", 4)
    np.testing.assert_array_equal(arms, [0, -1, 1, 1])
    assert list(labels) == ["a", "b"]
    assert arms.dtype == np.int8
