"""describe_targeted_group: the uplift model's contacted group in a few rules, and the drivers."""

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from actionable.datasets import make_churn
from actionable.economics import CostModel, policy_profit
from actionable.models import OutcomeClassifier, TLearner
from actionable.paired import PairedExperiment, describe_targeted_group, evaluate_paired

# the features the generator's type logits use (datasets/_synthetic.py, _type_scores);
# addons and plan enter through monthly_spend minus the plan's price
DRIVERS = {
    "discount_history", "monthly_spend", "contract", "usage_trend", "tenure_months",
    "auto_renew", "last_login_days", "support_tickets", "payment_failures", "addons", "plan",
}  # fmt: skip
NOISE = {"age", "region", "signup_weekday"}


@pytest.fixture(scope="module")
def result():
    experiment = PairedExperiment(n_bootstraps=30, random_state=0, progress=False, n_jobs=1)
    return experiment.fit(make_churn(10_000, random_state=0)).result_


@pytest.fixture(scope="module")
def fitted():
    train, test = make_churn(6000, random_state=4), make_churn(4000, random_state=5)
    outcome = OutcomeClassifier(train_on="control", random_state=0, n_jobs=1)
    uplift = TLearner(random_state=0, n_jobs=1)
    outcome.fit(train.X, train.y, train.treatment)
    uplift.fit(train.X, train.y, train.treatment)
    return outcome, uplift, test


# ------------------------------------------------------------------ on make_churn, exact


def test_groups_partition_the_test_rows(result):
    group = result.targeted_group
    assert group.row_leaf.shape == (result.n_test,)
    assert set(np.unique(group.row_leaf)) == set(range(len(group.leaves)))
    sizes = [leaf.n_customers for leaf in group.leaves]
    assert sizes == [int(np.sum(group.row_leaf == i)) for i in range(len(group.leaves))]
    assert sum(sizes) == group.n_customers == result.n_test
    assert sum(leaf.share for leaf in group.leaves) == pytest.approx(1.0)
    # the contacted rows are the uplift model's top n_contacted, as in the customer types
    assert sum(leaf.n_contacted for leaf in group.leaves) == group.n_contacted
    assert group.n_contacted == result.n_contacted
    threshold = np.sort(result.uplift.score)[::-1][result.n_contacted - 1]
    for i, leaf in enumerate(group.leaves):
        rows = group.row_leaf == i
        expected = np.mean(result.uplift.score[rows] >= threshold)
        assert leaf.share_contacted == pytest.approx(expected, abs=2 / leaf.n_customers)
        assert leaf.mean_uplift == pytest.approx(result.uplift.score[rows].mean())
    # most contacted first
    shares = [leaf.share_contacted for leaf in group.leaves]
    assert shares == sorted(shares, reverse=True)


def test_rules_name_the_features_that_drive_persuadability(result):
    group = result.targeted_group
    assert 2 <= len(group.leaves) <= 8
    assert set(group.features) <= DRIVERS
    assert not set(group.features) & NOISE
    # the generator's strongest driver of persuadability leads the contacted group
    assert "discount_history" in group.leaves[0].features
    assert group.leaves[0].mostly_contacted
    assert not group.leaves[-1].mostly_contacted


def test_the_description_agrees_with_the_decision(result):
    group = result.targeted_group
    described = np.isin(
        group.row_leaf, [i for i, leaf in enumerate(group.leaves) if leaf.mostly_contacted]
    )
    # each group is marked by its majority: its minority is where the rules disagree
    assert group.accuracy == pytest.approx(
        1
        - sum(min(leaf.n_contacted, leaf.n_customers - leaf.n_contacted) for leaf in group.leaves)
        / result.n_test
    )
    assert described.sum() == sum(
        leaf.n_customers for leaf in group.leaves if leaf.mostly_contacted
    )
    held = sum(leaf.n_contacted for leaf in group.leaves if leaf.mostly_contacted)
    assert group.recall == pytest.approx(held / result.n_contacted)
    assert group.recall > 0.6
    share = result.n_contacted / result.n_test
    assert group.baseline_accuracy == pytest.approx(max(share, 1 - share))
    # measured on make_churn at 6,000-20,000 rows: 85-86 % against 73 % for no one
    assert group.accuracy > group.baseline_accuracy + 0.08
    assert group.accuracy > 0.82


def test_exact_profits_add_up_to_the_profit_of_the_models_list(result):
    group = result.targeted_group
    assert group.profit_exact
    assert all(leaf.profit.is_exact for leaf in group.leaves)
    total = sum(leaf.profit.estimate for leaf in group.leaves)
    assert total == pytest.approx(group.profit.estimate, abs=1e-6)
    assert group.profit.estimate == pytest.approx(result.uplift.profit_at_k.estimate, abs=1e-6)
    # the groups the model mostly contacts are where its profit is made
    contacted = sum(leaf.profit.estimate for leaf in group.leaves if leaf.mostly_contacted)
    assert contacted > 0.7 * total


def test_rules_profit_counts_every_row_of_the_contacted_groups(result):
    group = result.targeted_group
    cost_model = result.cost_model
    rows = np.isin(
        group.row_leaf, [i for i, leaf in enumerate(group.leaves) if leaf.mostly_contacted]
    )
    y0, y1 = result.y0_test[rows], result.y1_test[rows]
    expected = cost_model.profit(rows.sum(), (y1 - y0).sum(), y1.sum())
    assert group.rules_profit.estimate == pytest.approx(expected)


def test_summary_of_the_group_is_json_ready(result):
    document = result.targeted_group.to_dict()
    assert document["n_customers"] == result.n_test
    assert sum(leaf["n_customers"] for leaf in document["leaves"]) == result.n_test
    leaf = document["leaves"][0]
    assert leaf["rule"] == " and ".join(leaf["conditions"])
    assert leaf["profit"]["method"] == "exact"
    frame = result.targeted_group.to_frame()
    assert list(frame["rule"]) == [leaf.rule for leaf in result.targeted_group.leaves]


# ------------------------------------------------------------- estimated, real-data shape


def test_estimated_profits_add_up_with_intervals(fitted):
    outcome, uplift, test = fitted
    result = evaluate_paired(
        outcome, uplift, test.X, test.y, test.treatment,
        cost_model=CostModel.from_dict(test.costs), n_bootstraps=200, random_state=0,
    )  # fmt: skip
    group = result.targeted_group
    assert not group.profit_exact
    total = sum(leaf.profit.estimate for leaf in group.leaves)
    assert total == pytest.approx(group.profit.estimate, rel=1e-9)
    # the whole list's profit is policy_profit's, over every test row
    for leaf in group.leaves:
        assert leaf.profit.method == "bootstrap"
        assert leaf.profit.low <= leaf.profit.estimate <= leaf.profit.high
    contacted = np.zeros(result.n_test)
    contacted[np.argsort(-result.uplift.score, kind="stable")[: result.n_contacted]] = 1.0
    direct = policy_profit(
        test.y, test.treatment.astype(float), {"list": contacted},
        cost_model=result.cost_model, control_label=0.0, n_bootstraps=20, random_state=0,
    )  # fmt: skip
    assert group.profit.estimate == pytest.approx(direct.profit[0] * result.n_test, rel=1e-6)
    assert group.profit.low < group.profit.estimate < group.profit.high
    # and close to the profit curve's estimate of the same list (another estimator)
    assert group.profit.estimate == pytest.approx(result.uplift.profit_at_k.estimate, rel=0.25)


def test_drivers_rank_the_generators_features_first(result):
    drivers = result.drivers
    assert isinstance(drivers, pd.Series)
    assert set(drivers.index) == set(make_churn(10, random_state=0).X.columns)
    assert list(drivers) == sorted(drivers, reverse=True)
    assert set(drivers.index[:5]) <= DRIVERS
    assert set(drivers.index[-3:]) == NOISE
    assert any(note.startswith("Global drivers:") for note in result.notes)


def test_a_model_that_cannot_be_explained_has_no_drivers_and_a_note(fitted):
    outcome, uplift, test = fitted

    class Wrapped:  # a scikit-uplift-style model: predict only
        def predict(self, X):
            return uplift.predict(X)

    result = evaluate_paired(
        outcome, Wrapped(), test.X, test.y, test.treatment,
        cost_model=CostModel.from_dict(test.costs), n_bootstraps=20, random_state=0,
    )  # fmt: skip
    assert result.drivers is None
    note = next(n for n in result.notes if n.startswith("Global drivers:"))
    assert "Wrapped" in note
    assert "not shown" in note
    assert result.targeted_group is not None  # the description needs scores only


# -------------------------------------------------------------------------- rendering


def _frame(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "tenure_months": rng.integers(1, 73, n),
            "contract": pd.Categorical(
                rng.choice(["monthly", "annual", "two_year"], n),
                categories=["monthly", "annual", "two_year"],
            ),
            "plan": rng.choice(["basic", "standard", "premium"], n),  # text
            "region": rng.choice(["north", "south", "east", "west"], n),
            "spend": np.round(rng.normal(50, 10, n), 2),
            "customer_id": [f"c{i:05d}" for i in range(n)],
        }
    )


def test_categorical_rules_read_naturally():
    X = _frame()
    monthly_new = ((X["contract"] == "monthly") & (X["tenure_months"] <= 6)).to_numpy()
    group = describe_targeted_group(X, monthly_new, max_depth=2, min_leaf_share=0.01)
    assert group.accuracy == 1.0
    assert group.leaves[0].rule in (
        "contract is monthly and tenure_months <= 6",
        "tenure_months <= 6 and contract is monthly",
    )
    assert group.leaves[0].share_contacted == 1.0
    # a split on a text column keeps its values in sets
    cheap = X["plan"].isin(["basic", "standard"]).to_numpy()
    group = describe_targeted_group(X, cheap, max_depth=1)
    assert [leaf.rule for leaf in group.leaves] == [
        "plan in {basic, standard}", "plan is premium",
    ]  # fmt: skip
    # with four values, the complement of one reads "is not"
    south = (X["region"] != "north").to_numpy()
    group = describe_targeted_group(X, south, max_depth=1)
    assert [leaf.rule for leaf in group.leaves] == ["region is not north", "region is north"]


def test_numbers_read_as_the_data_does():
    X = _frame()
    middle = ((X["tenure_months"] > 12) & (X["tenure_months"] <= 24)).to_numpy()
    group = describe_targeted_group(X, middle, max_depth=2, min_leaf_share=0.01)
    assert group.leaves[0].rule == "13 <= tenure_months <= 24"
    spend = (X["spend"] > 55).to_numpy()
    group = describe_targeted_group(X, spend, max_depth=1)
    assert re.fullmatch(r"spend > 55(\.\d+)?", group.leaves[0].rule), group.leaves[0].rule
    # missing values: named on the side the tree sends them
    X.loc[X.index[::7], "spend"] = np.nan
    group = describe_targeted_group(X, (X["spend"] > 55).to_numpy(), max_depth=1)
    assert sum("(or missing)" in leaf.rule for leaf in group.leaves) == 1


def test_an_identifier_cannot_sort_the_rows_one_by_one():
    X = _frame()
    noise = np.random.default_rng(1).random(len(X)) < 0.4
    group = describe_targeted_group(X, noise)
    assert "customer_id" not in group.features
    assert group.accuracy < 0.7  # nothing describes a random choice


def test_no_one_contacted_is_one_group():
    X = _frame(500)
    group = describe_targeted_group(X, np.zeros(len(X)))
    assert [leaf.rule for leaf in group.leaves] == ["all customers"]
    assert group.accuracy == 1.0
    assert group.profit is None


def test_arrays_get_generic_names():
    X = _frame(1000)
    contacted = (X["tenure_months"] <= 10).to_numpy()
    group = describe_targeted_group(X[["tenure_months", "spend"]].to_numpy(), contacted)
    assert group.leaves[0].rule.startswith("x0 <= 10")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"contacted": np.full(100, 2)}, "contacted must contain only 0 and 1 \\(1 = contacted"),
        ({"max_depth": 4}, "max_depth must be 1, 2 or 3"),
        ({"min_leaf_share": 0.0}, "min_leaf_share"),
        ({"cost_model": CostModel(10.0), "y": np.ones(100)}, "either y and treatment"),
        ({"uplift": np.ones(99)}, "Inconsistent"),
    ],
)
def test_bad_inputs_say_what_to_fix(kwargs, message):
    X = _frame(100)
    arguments = {"contacted": np.zeros(100), **kwargs}
    with pytest.raises(ValueError, match=message):
        describe_targeted_group(X, arguments.pop("contacted"), **arguments)


def test_a_result_without_a_description_still_reports(result):
    from actionable.report import PairedReport

    bare = dataclasses.replace(result, targeted_group=None, drivers=None)
    report = PairedReport(bare)
    assert "in plain words" not in report.html()
    assert "targeted_group" not in report.summary()
