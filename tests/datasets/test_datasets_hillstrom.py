"""load_hillstrom: bundled, offline, options checked against ../shared/datasets/MANIFEST.md."""

import bz2
import hashlib
import socket
from importlib import resources

import pandas as pd
import pytest

from actionable.datasets import UpliftDataset, load_hillstrom
from actionable.economics import CostModel, profit_curve

# From MANIFEST.md (not from the code under test).
MANIFEST_ORIGINAL_SHA256 = "0e5893329d8b93cefecc571777672028290ab69865718020c78c7284f291aece"
MANIFEST_ARMS = {"mens": 21_307, "womens": 21_387, "none": 21_306}
MANIFEST_MEANS = {"visit": 0.14678, "conversion": 0.00903, "spend": 1.0509}
FEATURES = [
    "recency",
    "history_segment",
    "history",
    "mens",
    "womens",
    "zip_code",
    "newbie",
    "channel",
]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails: proves the loader never needs the network."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_bundled_file_decompresses_to_the_original_bytes():
    packaged = resources.files("actionable.datasets").joinpath("data", "hillstrom.csv.bz2")
    raw = bz2.decompress(packaged.read_bytes())
    assert hashlib.sha256(raw).hexdigest() == MANIFEST_ORIGINAL_SHA256
    assert packaged.read_bytes()[:3] == b"BZh"
    assert len(packaged.read_bytes()) < 400_000
    # the quirks the card documents are really there
    assert raw.count(b"\r\n") == 64_001
    assert b"Surburban" in raw
    assert b'"6) $750 - $1,000"' in raw


def test_all_arms_64000_rows_offline_without_mirror(no_network, monkeypatch):
    monkeypatch.delenv("ACTIONABLE_DATA_MIRROR", raising=False)
    data = load_hillstrom(arms="all")
    assert isinstance(data, UpliftDataset)
    assert data.n_samples == 64_000
    assert data.treatment.value_counts().to_dict() == MANIFEST_ARMS
    assert data.control_label == "none"
    assert list(data.X.columns) == FEATURES
    assert not data.has_truth


@pytest.mark.parametrize("outcome", ["visit", "conversion", "spend"])
def test_outcome_option(outcome):
    data = load_hillstrom(arms="all", outcome=outcome)
    assert data.outcome_name == outcome
    assert data.y.mean() == pytest.approx(MANIFEST_MEANS[outcome], abs=1e-4)
    if outcome != "spend":
        assert set(data.y.unique()) == {0, 1}
    assert outcome not in data.X.columns


@pytest.mark.parametrize(
    ("arms", "n_treated", "n_control"),
    [
        (("womens", "none"), MANIFEST_ARMS["womens"], MANIFEST_ARMS["none"]),
        (("mens", "none"), MANIFEST_ARMS["mens"], MANIFEST_ARMS["none"]),
        (("mens", "womens"), MANIFEST_ARMS["mens"], MANIFEST_ARMS["womens"]),
    ],
)
def test_arm_pair_is_binary_treatment(arms, n_treated, n_control):
    data = load_hillstrom(arms=arms)
    assert data.n_samples == n_treated + n_control
    assert int((data.treatment == 1).sum()) == n_treated
    assert int((data.treatment == 0).sum()) == n_control
    assert data.control_label == 0
    assert isinstance(data.X.index, pd.RangeIndex)
    assert data.y.index.equals(data.X.index)
    assert data.treatment.index.equals(data.X.index)
    assert data.extra["arms"] == arms


def test_default_is_womens_against_no_email_visit():
    data = load_hillstrom()
    assert data.extra["arms"] == ("womens", "none")
    assert data.outcome_name == "visit"
    # visit rate by arm from the raw file: womens 0.1514, none 0.1062 (MANIFEST-level facts)
    rates = data.y.groupby(data.treatment).mean()
    assert rates[1] == pytest.approx(0.1514, abs=1e-4)
    assert rates[0] == pytest.approx(0.1062, abs=1e-4)


def test_features_dtypes_and_quirks_kept():
    X = load_hillstrom(arms="all").X
    for column in ("history_segment", "zip_code", "channel"):
        assert isinstance(X[column].dtype, pd.CategoricalDtype), column
        assert not X[column].isna().any()
    assert set(X["zip_code"].cat.categories) == {"Rural", "Surburban", "Urban"}
    assert X["history_segment"].cat.ordered
    assert X["history_segment"].min() == "1) $0 - $100"
    assert X["history_segment"].max() == "7) $1,000 +"
    assert (X["history_segment"] == "6) $750 - $1,000").sum() == 1859  # was quoted in the CSV


def test_subsets_share_categories():
    a = load_hillstrom(arms=("mens", "none")).X
    b = load_hillstrom(arms=("womens", "none")).X
    for column in ("history_segment", "zip_code", "channel"):
        assert a[column].dtype == b[column].dtype


def test_description_costs_terms():
    data = load_hillstrom(outcome="conversion")
    needles = ("minethatdata.com", MANIFEST_ORIGINAL_SHA256, "Surburban", "CRLF", "illustrative")
    for needle in needles:
        assert needle in data.description
    assert "Hillstrom" in data.terms
    assert set(data.costs) >= {"value_per_success", "cost_per_contact", "incentive_cost"}
    assert data.costs["value_per_success"] > data.costs["cost_per_contact"] > 0


def test_spend_is_valued_per_unit():
    """Spend is continuous: its suggested costs value a dollar, not a success."""
    data = load_hillstrom(outcome="spend")
    costs = CostModel.from_dict(data.costs)
    assert costs.per_unit
    assert costs.value_per_success is None
    assert 0 < costs.value_per_unit < 1  # a margin on a dollar of spend
    assert "value_per_unit=0.3" in data.description
    # the costs work on the data as loaded: the profit of e-mailing everyone
    treated = data.treatment.to_numpy() == 1
    n, profit = profit_curve(data.y, -data.X["recency"], data.treatment, cost_model=costs)
    lift = data.y[treated].mean() - data.y[~treated].mean()
    assert profit[-1] == pytest.approx(n[-1] * (costs.value_per_unit * lift - 0.10))
    for binary in ("visit", "conversion"):
        assert not CostModel.from_dict(load_hillstrom(outcome=binary).costs).per_unit


def test_return_x_y_treatment():
    X, y, treatment = load_hillstrom(return_X_y_treatment=True)
    assert len(X) == len(y) == len(treatment) == MANIFEST_ARMS["womens"] + MANIFEST_ARMS["none"]


def test_loads_are_independent_copies():
    first = load_hillstrom()
    first.X.loc[0, "recency"] = -99
    assert load_hillstrom().X.loc[0, "recency"] != -99


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"arms": "both"}, "arms must be 'all' or a pair"),
        ({"arms": ("womens",)}, "arms must be 'all' or a pair"),
        ({"arms": ("womens", "womens")}, "two different arms"),
        ({"arms": ("kids", "none")}, "'kids'"),
        ({"outcome": "revenue"}, "outcome must be one of"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_hillstrom(**kwargs)
