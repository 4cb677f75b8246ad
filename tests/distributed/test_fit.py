"""Learners trained by lightgbm.dask are the ordinary estimators, and rank as well."""

import pickle

import dask.dataframe as dd
import numpy as np
import pytest

from actionable.datasets import make_churn
from actionable.distributed import fit_on_dask
from actionable.metrics import qini_auc_score
from actionable.models import ClassTransformation, OutcomeClassifier, SLearner, TLearner


@pytest.fixture(scope="module")
def churn():
    train, test = make_churn(30_000, random_state=0), make_churn(20_000, random_state=1)
    rows = train.X.assign(retained=train.y, offer=train.treatment)
    return train, test, dd.from_pandas(rows, npartitions=4)


def test_t_learner_ranks_as_well_as_in_memory(dask_client, churn):
    train, test, frame = churn
    in_memory = TLearner(random_state=0).fit(train.X, train.y, train.treatment)
    distributed = fit_on_dask(
        TLearner(), frame, outcome="retained", treatment="offer", sample_rows=15_000
    )
    assert type(distributed) is TLearner
    expected = qini_auc_score(test.y, in_memory.predict(test.X), test.treatment)
    found = qini_auc_score(test.y, distributed.predict(test.X), test.treatment)
    print(f"held-out Qini: in memory {expected:.4f}, on Dask {found:.4f}")
    assert abs(found - expected) < 0.01
    assert distributed.treatment_rate_ == pytest.approx(float(np.mean(train.treatment)))
    copy = pickle.loads(pickle.dumps(distributed))
    np.testing.assert_array_equal(copy.predict(test.X[:500]), distributed.predict(test.X[:500]))


@pytest.mark.parametrize(
    "learner",
    [SLearner(), ClassTransformation(), OutcomeClassifier(train_on="control")],
    ids=["s", "ct", "outcome"],
)
def test_other_learners_come_back_fitted(dask_client, churn, learner):
    train, test, frame = churn
    model = fit_on_dask(learner, frame, outcome="retained", treatment="offer", sample_rows=5_000)
    assert type(model) is type(learner)
    assert learner.__dict__ == type(learner)().__dict__ | learner.__dict__  # not modified
    score = model.predict_risk(test.X) if hasattr(model, "predict_risk") else model.predict(test.X)
    assert np.isfinite(score).all()
    assert np.unique(score).size > 10
    if not hasattr(model, "predict_risk"):
        assert qini_auc_score(test.y, score, test.treatment) > 0.1


@pytest.mark.parametrize(
    ("learner", "message"),
    [
        (TLearner(control_label="none"), "control_label"),
        (TLearner(estimator=OutcomeClassifier()), "estimator"),
        (object(), "got object"),
    ],
)
def test_unsupported_learners_are_refused(churn, learner, message):
    with pytest.raises(ValueError, match=message):
        fit_on_dask(learner, churn[2], outcome="retained", treatment="offer")


def test_text_features_and_bad_outcomes_are_named(dask_client, churn):
    train, _, frame = churn
    with pytest.raises(ValueError, match="'contract' holds text"):
        fit_on_dask(TLearner(), frame.astype({"contract": str}), outcome="retained",
                    treatment="offer")  # fmt: skip
    with pytest.raises(ValueError, match=r"column 'retained' \(outcome\) must hold 0 and 1"):
        fit_on_dask(TLearner(), frame.assign(retained=frame["retained"] * 2), outcome="retained",
                    treatment="offer")  # fmt: skip


def test_categories_read_from_parquet_are_encoded_alike(dask_client, churn, tmp_path):
    """Parquet gives categorical columns of unknown categories; the fit learns them first."""
    from actionable.distributed import read_parquet

    train, test, frame = churn
    frame.to_parquet(tmp_path / "campaign", write_index=False)
    parquet = read_parquet(tmp_path / "campaign")
    assert not parquet["contract"].cat.known
    model = fit_on_dask(OutcomeClassifier(train_on="control"), parquet, outcome="retained",
                        treatment="offer", sample_rows=5_000)  # fmt: skip
    in_memory = OutcomeClassifier(train_on="control", random_state=0)
    in_memory.fit(train.X, train.y, train.treatment)
    agreement = np.corrcoef(model.predict_risk(test.X), in_memory.predict_risk(test.X))[0, 1]
    assert agreement > 0.9
