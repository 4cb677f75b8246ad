"""Why this uplift? TreeSHAP contributions of every learner, and reasons in plain words."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from actionable.datasets import make_churn
from actionable.models import (
    ClassTransformation,
    DRLearner,
    SLearner,
    TLearner,
    XLearner,
    uplift_contributions,
)

LEARNERS = [SLearner, TLearner, XLearner, DRLearner, ClassTransformation]
# make_churn's effect modifiers (``_type_scores``): price sensitivity (discount_history,
# monthly_spend, contract), cooling usage, loyalty (tenure, contract), and the sleeping
# dogs' auto-renew, disengagement and friction; three features are pure noise.
NOISE = {"age", "region", "signup_weekday"}


@pytest.fixture(scope="module")
def world():
    return make_churn(20_000, random_state=0), make_churn(3000, random_state=1)


@pytest.fixture(scope="module")
def fitted(world):
    train, _ = world
    return {cls.__name__: cls(random_state=0).fit(train.X, train.y, train.treatment)
            for cls in LEARNERS}  # fmt: skip


@pytest.mark.parametrize("name", [cls.__name__ for cls in LEARNERS])
def test_contributions_add_up_to_the_predicted_uplift(fitted, world, name):
    _, test = world
    learner = fitted[name]
    contributions = uplift_contributions(learner, test.X)
    np.testing.assert_allclose(contributions.uplift, learner.predict(test.X), atol=1e-9)
    assert list(contributions.values.columns) == list(test.X.columns)
    assert contributions.values.index.equals(test.X.index)
    # regressions of the effect are explained exactly; log-odds models approximately
    assert contributions.exact == (name in ("XLearner", "DRLearner"))
    if not contributions.exact:
        assert contributions.nonlinearity.max() > 0


@pytest.mark.parametrize("name", ["TLearner", "SLearner", "XLearner", "DRLearner"])
def test_the_global_drivers_are_the_generator_effect_modifiers(fitted, world, name):
    _, test = world
    drivers = uplift_contributions(fitted[name], test.X).global_drivers()
    assert drivers.index[0] == "discount_history"  # price sensitivity makes persuadables
    assert set(drivers.index[:4]) <= {"discount_history", "last_login_days", "contract",
                                      "auto_renew", "monthly_spend", "tenure_months"}  # fmt: skip
    assert set(drivers.index[-5:]) >= NOISE


def test_explain_gives_each_rows_largest_contributions_with_its_values(fitted, world):
    _, test = world
    learner = fitted["TLearner"]
    rows = test.X.iloc[:50]
    explained = learner.explain(rows, top=3)
    values = uplift_contributions(learner, rows).values
    for position, (index, row) in enumerate(explained.iterrows()):
        largest = values.loc[index].abs().sort_values(ascending=False, kind="stable")
        assert [row[f"feature_{i}"] for i in (1, 2, 3)] == list(largest.index[:3])
        for i in (1, 2, 3):
            feature = row[f"feature_{i}"]
            assert row[f"contribution_{i}"] == pytest.approx(values.loc[index, feature])
            assert row[f"value_{i}"] == rows.iloc[position][feature]
    np.testing.assert_allclose(explained["uplift"], learner.predict(rows))


def test_what_cannot_be_explained_says_why(world):
    train, test = world
    numeric = ["tenure_months", "discount_history", "support_tickets"]
    custom = TLearner(estimator=LogisticRegression()).fit(
        train.X[numeric] / 10, train.y, train.treatment
    )
    with pytest.raises(ValueError, match="need LightGBM models"):
        uplift_contributions(custom, test.X[numeric] / 10)
    arms = np.where(train.treatment == 1, np.where(train.X["age"] > 40, "a", "b"), "none")
    multi = TLearner(control_label="none", random_state=0).fit(train.X, train.y, arms)
    with pytest.raises(ValueError, match="fitted on 2 treatment arms"):
        uplift_contributions(multi, test.X)
    with pytest.raises(ValueError, match="top must be a positive integer"):
        TLearner(random_state=0).fit(train.X, train.y, train.treatment).explain(test.X, top=0)


# ------------------------------------------------------------------------------ reasons
REASON = re.compile(r"^[a-z_]+ = [^ ]+ \((raises|lowers) uplift by [+-]\d+\.\d{2,3}\)$")


def test_target_reasons_are_the_largest_contributions_in_plain_words(tmp_path, capsys):
    from actionable.cli import main
    from actionable.production import load_model

    train, test = make_churn(8000, random_state=2), make_churn(3000, random_state=3)
    frame = train.X.assign(offer=train.treatment, retained=train.y)
    frame.insert(0, "customer_id", np.arange(len(frame)))
    frame.to_csv(tmp_path / "train.csv", index=False)
    scoring = test.X.copy()
    scoring.insert(0, "customer_id", np.arange(len(scoring)))
    scoring.to_csv(tmp_path / "score.csv", index=False)
    assert main(["fit", str(tmp_path / "train.csv"), "--treatment", "offer", "--treated", "1",
                 "--outcome", "retained", "--id", "customer_id", "--value-per-success", "200",
                 "--cost-per-contact", "10", "--capacity", "300", "--out",
                 str(tmp_path / "model"), "--quiet"]) == 0  # fmt: skip
    target = ["target", "--model", str(tmp_path / "model"), str(tmp_path / "score.csv"),
              "--quiet", "--out"]  # fmt: skip
    assert main([*target, str(tmp_path / "list.csv"), "--reasons", "3"]) == 0
    capsys.readouterr()
    listed = pd.read_csv(tmp_path / "list.csv", keep_default_na=False)
    assert list(listed.columns[-3:]) == ["reason_1", "reason_2", "reason_3"]
    contacted = listed[listed["target"] == 1]
    assert len(contacted) == 300
    assert (listed.loc[listed["target"] == 0, "reason_1"] == "").all()
    for column in ("reason_1", "reason_2", "reason_3"):
        assert contacted[column].str.match(REASON).all(), contacted[column].head()
    model = load_model(tmp_path / "model")
    explained = model.explain(scoring.iloc[contacted["customer_id"].to_numpy()], top=3)
    np.testing.assert_array_equal(explained["reason_1"].to_numpy(), contacted["reason_1"])
    values = uplift_contributions(model.uplift_model, model.features(scoring)).values
    first = values.iloc[contacted["customer_id"].to_numpy()].abs().idxmax(axis=1)
    assert (contacted["reason_1"].str.split(" = ").str[0].to_numpy() == first.to_numpy()).all()
    assert main([*target, str(tmp_path / "bad.csv"), "--reasons", "-1"]) == 1
    assert "reasons must be a non-negative integer" in capsys.readouterr().err


def test_explain_a_frame_with_unnamed_columns_and_refuse_no_rows(world):
    train, test = world
    numeric = ["tenure_months", "discount_history", "monthly_spend"]
    X = train.X[numeric].set_axis(range(3), axis=1)
    learner = TLearner(random_state=0).fit(X, train.y, train.treatment)
    explained = learner.explain(test.X[numeric].set_axis(range(3), axis=1).head(4), top=2)
    assert set(explained["feature_1"]) <= {"x0", "x1", "x2"}
    np.testing.assert_allclose(explained["value_1"].astype(float),
                               [test.X[numeric].iloc[i, int(f[1])] for i, f in
                                enumerate(explained["feature_1"])])  # fmt: skip
    with pytest.raises(ValueError, match="X has no rows to explain"):
        learner.explain(X.head(0))
