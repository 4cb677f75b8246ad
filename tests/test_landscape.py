"""risk_uplift_sweep: when does predicting churn suffice? (issue 14)"""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from actionable.datasets import make_churn
from actionable.economics import CostModel, best_targeting_from_truth
from actionable.paired import locate_world, risk_uplift_sweep

SMALL_MIXES = {
    "calibrated": {
        "persuadable": 0.22, "sure thing": 0.45, "lost cause": 0.23, "sleeping dog": 0.10
    },
    "many lost causes": {
        "persuadable": 0.15, "sure thing": 0.35, "lost cause": 0.40, "sleeping dog": 0.10
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def sweep():
    return risk_uplift_sweep(
        SMALL_MIXES, risk_alignments=(-1.0, -0.5, 0.0, 0.5, 1.0), n_samples=4000
    )


def test_one_row_per_world(sweep):
    assert len(sweep) == 10
    assert list(sweep["world"].unique()) == list(SMALL_MIXES)
    assert sorted(sweep["risk_alignment"].unique()) == [-1.0, -0.5, 0.0, 0.5, 1.0]
    for kind in ("persuadable", "sure thing", "lost cause", "sleeping dog"):
        assert kind in sweep
    assert np.all(sweep["rank_correlation"].between(-1, 1))
    np.testing.assert_allclose(sweep["share"], sweep["churn_profit"] / sweep["uplift_profit"])
    # the most profitable ranking bounds both
    assert np.all(sweep["optimal_profit"] >= sweep["churn_profit"] - 1e-6)
    assert np.all(sweep["optimal_profit"] >= sweep["uplift_profit"] - 1e-6)


def test_share_earned_by_churn_risk_targeting_rises_with_the_correlation(sweep):
    """The issue's check: on small worlds, the share rises with the risk-uplift correlation."""
    assert spearmanr(sweep["rank_correlation"], sweep["share"]).statistic > 0.6
    low = sweep["rank_correlation"] < sweep["rank_correlation"].median()
    assert sweep.loc[~low, "share"].mean() > sweep.loc[low, "share"].mean() + 0.2
    # within each type mix, moving persuadables towards the customers at risk raises it
    for _, world in sweep.groupby("world"):
        ordered = world.sort_values("risk_alignment")
        assert ordered["rank_correlation"].iloc[-1] > ordered["rank_correlation"].iloc[0]
        assert ordered["share"].iloc[-1] > ordered["share"].iloc[0]


def test_each_world_is_measured_exactly_from_its_probabilities():
    mix = SMALL_MIXES["calibrated"]
    sweep = risk_uplift_sweep({"calibrated": mix}, risk_alignments=[0.5], n_samples=3000)
    data = make_churn(3000, type_mix=mix, risk_alignment=0.5, random_state=0)
    costs = CostModel.from_dict(data.costs)
    probabilities = data.extra["type_probabilities"]
    persuadable, sure, lost, dog = probabilities.T
    expected = best_targeting_from_truth(
        sure + dog, persuadable + sure, persuadable + lost, cost_model=costs
    )
    row = sweep.iloc[0]
    assert row["churn_profit"] == pytest.approx(1000 * expected.profit / 3000)
    assert row["churn_fraction"] == pytest.approx(expected.fraction)
    assert row["rank_correlation"] == pytest.approx(
        spearmanr(persuadable + lost, data.true_effect).statistic
    )


def test_costs_change_the_map():
    mixes = {"calibrated": SMALL_MIXES["calibrated"]}
    default = risk_uplift_sweep(mixes, risk_alignments=[0.0], n_samples=2000)
    dearer = risk_uplift_sweep(
        mixes, risk_alignments=[0.0], n_samples=2000,
        cost_model=CostModel(200.0, cost_per_contact=40.0),
    )  # fmt: skip
    assert dearer["uplift_profit"].iloc[0] != default["uplift_profit"].iloc[0]


def test_locate_world_finds_a_result_on_the_map(sweep):
    world = {"type_mix": SMALL_MIXES["many lost causes"], "risk_alignment": 0.5}
    row = locate_world(sweep, world)
    assert sweep.iloc[row]["world"] == "many lost causes"
    assert sweep.iloc[row]["risk_alignment"] == 0.5
    elsewhere = {"type_mix": SMALL_MIXES["calibrated"], "risk_alignment": 0.3}
    assert locate_world(sweep, elsewhere) is None
    assert locate_world(sweep, None) is None
    assert locate_world(pd.DataFrame(), world) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type_mixes": {}}, "type_mixes must be a non-empty dict"),
        ({"risk_alignments": []}, "risk_alignments must hold at least one value"),
        ({"risk_alignments": [2.0]}, r"risk_alignment must be a number in \[-1, 1\]"),
    ],
)
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        risk_uplift_sweep(n_samples=500, **kwargs)
