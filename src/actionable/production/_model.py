"""``SavedModel``: a deployable model that scores, evaluates, monitors, saves and loads itself."""

import dataclasses
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from actionable._resampling import DEFAULT_N_BOOTSTRAPS
from actionable.decision import DecisionCard
from actionable.production._directory import (
    ModelIntegrityError,
    load_model_directory,
    save_model_directory,
)
from actionable.production._evaluation import evaluate_model, monitor_model
from actionable.production._fingerprints import row_fingerprints
from actionable.production._progress import LARGE_ROWS, Progress
from actionable.production._reasons import candidate_reasons, check_reasons, reason_columns
from actionable.production._roles import ColumnRoles
from actionable.production._rule import TargetingRule
from actionable.production._schema import FeatureSchema
from actionable.production._scoring import scoring_threads

CARD_FILE = "decision.toml"
SCORE_CHUNK_ROWS = 250_000
"""Rows predicted at a time when scoring (progress is reported per chunk)."""
UPLIFT_DECIMALS = 6
"""Decimals of the predicted uplift in a target list (a millionth of a probability)."""
MONEY_DECIMALS = 2
"""Decimals of the expected profit in a target list (cents)."""
MAX_TRAINING_OVERLAP = 0.05
"""``evaluate`` refuses data of which more than this share are rows the model trained on."""


HASH_SLICE_ROWS = 100_000


def _repeated(ids):
    """Whether each identifier appears more than once, in memory of 64-bit hashes.

    Equal hashes are confirmed on the values themselves, so a hash collision
    never reports a repeat.
    """
    hashes = np.concatenate(  # in slices: hashing text makes temporary Python objects
        [
            pd.util.hash_pandas_object(ids.iloc[start : start + HASH_SLICE_ROWS], index=False)
            for start in range(0, len(ids), HASH_SLICE_ROWS)
        ]
        or [np.array([], dtype=np.uint64)]
    )
    ordered = np.sort(hashes)
    colliding = ordered[1:][ordered[1:] == ordered[:-1]]
    candidates = np.isin(hashes, colliding)
    repeated = np.zeros(len(ids), dtype=bool)
    if candidates.any():
        repeated[candidates] = ids[candidates].duplicated(keep=False).to_numpy()
    return pd.Series(repeated, index=ids.index)


def _to_rows(chunks):
    return np.concatenate(chunks) if chunks else np.array([])


@dataclass
class SavedModel:
    """A deployable uplift model: it scores customers, and evaluates and monitors itself.

    Built by :func:`fit_model` or read by :func:`load_model`; do not build one by hand.

    Attributes
    ----------
    path : pathlib.Path or None
        The model directory, once saved or loaded.
    roles : ColumnRoles
        Which columns hold the treatment, the outcome and the identifier.
    schema : FeatureSchema
        The features the model was trained on; new data is conformed to it.
    rule : TargetingRule
        Whom to contact: the rule chosen out of sample at training time.
    card : DecisionCard
        The decision the model serves, its owner, timing and costs.
    uplift_model, outcome_model : estimator object
        The fitted uplift learner and the naive outcome model.
    documents : dict
        The JSON documents of the directory (``training``, ``rule``, ...).
    fingerprints : dict or None
        Hashes of (a sample of) the training rows, to recognize them later.
    """

    path: Path | None
    roles: ColumnRoles
    schema: FeatureSchema
    rule: TargetingRule
    card: DecisionCard
    uplift_model: object
    outcome_model: object
    documents: dict
    fingerprints: dict | None = field(default=None, repr=False)

    @property
    def learner_name(self):
        """Short name of the uplift learner (``"t"``, ``"dr"``, ...)."""
        return self.documents["training"]["learner"]

    @property
    def outcome_type(self):
        """``"binary"`` (1 = favourable) or ``"continuous"`` (the outcome in its units)."""
        return self.roles.outcome_type or "binary"

    @property
    def cost_model(self):
        """The card's ``CostModel``, or ``None`` when the model was fitted without costs."""
        return self.card.cost_model() if self.card.has_costs else None

    def features(self, frame):
        """Conform ``frame`` to the training features (names, order, dtypes, categories).

        Parameters
        ----------
        frame : pandas.DataFrame
            New data.

        Returns
        -------
        pandas.DataFrame
        """
        return self.schema.transform(frame)

    def predict(self, X, *, progress=None, n_jobs=None):
        """Uplift, and P(y=1 | treated) when the rule needs it (else None), chunk by chunk.

        Chunks of ``SCORE_CHUNK_ROWS`` rows are scored by ``n_jobs`` threads (the
        models' prediction releases the interpreter), so memory holds at most
        ``n_jobs`` chunks' intermediate results at a time.

        Parameters
        ----------
        X : pandas.DataFrame
            Conformed features (:meth:`features`).
        progress : Progress, default=None
            Reports the rows scored.
        n_jobs : int, default=None
            Threads scoring chunks at once; ``None`` means 1, -1 all cores.

        Returns
        -------
        uplift : ndarray of shape (n_samples,)
        p_treated : ndarray of shape (n_samples,) or None
        """
        from concurrent.futures import ThreadPoolExecutor

        progress = progress or Progress(enabled=False)
        starts = range(0, len(X), SCORE_CHUNK_ROWS)
        chunks = (X.iloc[start : start + SCORE_CHUNK_ROWS] for start in starts)
        uplift, p_treated = [], []
        with (
            progress.counting("scoring", total=len(X), unit="rows", at_least=LARGE_ROWS) as count,
            ThreadPoolExecutor(max_workers=scoring_threads(n_jobs)) as pool,
        ):
            for chunk_uplift, chunk_p_treated in pool.map(self._score_chunk, chunks):
                uplift.append(chunk_uplift)
                p_treated.append(chunk_p_treated)
                count(len(chunk_uplift))
        return _to_rows(uplift), (_to_rows(p_treated) if self.rule.needs_p_treated else None)

    def _score_chunk(self, chunk):
        if self.rule.needs_p_treated:
            uplift, outcomes = self.uplift_model.predict_with_outcomes(chunk)
            return np.asarray(uplift, dtype=np.float64), outcomes[:, 1]
        return np.asarray(self.uplift_model.predict(chunk), dtype=np.float64), None

    def _check_ids(self, ids):
        duplicated = _repeated(ids)
        if duplicated.any():
            warnings.warn(
                f"id column {self.roles.id_column!r} has {int(duplicated.sum()):,} rows whose "
                f"identifier appears more than once (e.g. {ids[duplicated].iloc[0]!r}): the "
                "list will name the same customer several times.",
                UserWarning,
                stacklevel=4,
            )

    def score(self, frame, *, capacity=None, progress=None, n_jobs=None, reasons=0):
        """Score customers and say whom to contact, as ``actionable target`` does.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per customer with the training features; the treatment and
            outcome columns are ignored if present.
        capacity : int, default=None
            At most this many contacts; ``None`` keeps the capacity the model was
            fitted with (if any).
        progress : Progress, default=None
            Reports the rows scored.
        n_jobs : int, default=None
            Threads scoring at once (see :meth:`predict`); ``None`` means 1.
        reasons : int, default=0
            Add ``reason_1`` ... ``reason_<reasons>``: for each customer to contact,
            the features that move the predicted uplift most, in plain words
            (:meth:`explain`); empty for the others.

        Returns
        -------
        pandas.DataFrame
            In the order and with the index of ``frame``: the identifier column (if
            the model has one), ``uplift`` (rounded to ``UPLIFT_DECIMALS``),
            ``expected_profit`` (per contact, in the card's money, rounded to
            ``MONEY_DECIMALS``; NaN without costs), ``target`` (1 = contact),
            ``rank`` (1 = contact first) and the reasons, if asked for.

        Raises
        ------
        ValueError
            If a feature is missing or holds values the schema does not allow.

        Warns
        -----
        UserWarning
            When identifiers repeat, or a category was never seen in training.
        """
        reasons = check_reasons(reasons)
        self.roles.check_columns(frame, labels=False)
        ids = None if self.roles.id_column is None else frame[self.roles.id_column]
        features = self.features(frame)
        uplift, p_treated = self.predict(features, progress=progress, n_jobs=n_jobs)
        texts = candidate_reasons(self, features, uplift, p_treated, reasons) if reasons else None
        return self.target_list(
            uplift, p_treated, ids=ids, capacity=capacity, index=frame.index, reasons=texts
        )

    def explain(self, frame, top=3, *, n_jobs=None):
        """The features that move each customer's predicted uplift most, and by how much.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per customer with the training features.
        top : int, default=3
            Features per customer, the largest absolute contribution first.
        n_jobs : int, default=None
            Threads of LightGBM's TreeSHAP; ``None`` means 1.

        Returns
        -------
        pandas.DataFrame
            With the index of ``frame``: the identifier (if the model has one),
            ``uplift``, ``base``, then ``feature_i``, ``value_i``,
            ``contribution_i`` and ``reason_i`` (in plain words) for i = 1..top;
            ``base`` plus every feature's contribution is the predicted uplift
            (``actionable.models.uplift_contributions``).
        """
        self.roles.check_columns(frame, labels=False)
        explained = self.uplift_model.explain(self.features(frame), top=top, n_jobs=n_jobs)
        explained.index = frame.index
        texts = reason_columns(explained, top)
        parts = [explained, texts]
        if self.roles.id_column is not None:
            parts.insert(0, frame[[self.roles.id_column]])
        return pd.concat(parts, axis=1)

    def target_list(
        self, uplift, p_treated=None, *, ids=None, capacity=None, index=None, reasons=None
    ):
        """The target list of scored customers: whom to contact, in which order.

        Parameters
        ----------
        uplift : ndarray of shape (n_samples,)
            Predicted uplift (:meth:`predict`).
        p_treated : ndarray of shape (n_samples,), default=None
            P(y=1 | treated), when the rule needs it.
        ids : pandas.Series, default=None
            The identifiers (warned about when they repeat).
        capacity : int, default=None
            At most this many contacts; ``None`` keeps the model's capacity.
        index : pandas.Index, default=None
            Index of the list (``None``: 0 to n - 1).
        reasons : pandas.DataFrame, default=None
            ``reason_1..k`` of the rows (positional), kept for the rows contacted.

        Returns
        -------
        pandas.DataFrame
            As :meth:`score` returns it.
        """
        if ids is not None:
            self._check_ids(ids)
        score = self.rule.score(uplift, p_treated)
        target = self.rule.select(score, capacity=capacity)
        rank = np.empty(score.size, dtype=np.int64)
        order = np.argsort(-np.nan_to_num(score, nan=-np.inf), kind="stable")  # ties: input order
        rank[order] = np.arange(1, score.size + 1)
        columns = {}
        if ids is not None:
            columns[self.roles.id_column] = ids.array  # no copy into Python objects
        columns.update(
            uplift=np.round(uplift, UPLIFT_DECIMALS),
            expected_profit=np.round(self.rule.expected_profit(uplift, p_treated), MONEY_DECIMALS),
            target=target,
            rank=rank,
        )
        if reasons is not None:
            for name in reasons.columns:
                columns[name] = np.where(target == 1, reasons[name].to_numpy(dtype=object), "")
        return pd.DataFrame(columns, index=index)

    def _labelled(self, frame):
        self.roles.check_columns(frame, labels=True)
        return (
            self.features(frame),
            self.roles.outcomes(frame),
            self.roles.treatment_flags(frame),
        )

    def training_overlap(self, frame):
        """Share of ``frame``'s rows that were training rows (``None`` without fingerprints).

        Rows are recognized by a hash of their features, treatment, outcome and
        identifier, so the training data saved again in another format is recognized.

        Parameters
        ----------
        frame : pandas.DataFrame
            Labelled data.

        Returns
        -------
        float or None
        """
        if not self.fingerprints:
            return None
        X, y, treatment = self._labelled(frame)
        ids = None if self.roles.id_column is None else frame[self.roles.id_column].to_numpy()
        found = np.isin(row_fingerprints(X, y, treatment, ids), self.fingerprints["hashes"])
        return float(min(1.0, found.mean() / self.fingerprints["sampled_share"]))

    def evaluate(
        self,
        frame,
        *,
        name="data",
        max_training_overlap=MAX_TRAINING_OVERLAP,
        n_bootstraps=DEFAULT_N_BOOTSTRAPS,
        progress=None,
        propensity=None,
        assume_recorded_selection=False,
    ):
        """Measure the model on labelled randomized data it did not train on.

        The rows are first checked to come from a randomized experiment
        (:func:`randomization_check`); on a targeted campaign, pass its logged
        contact probabilities (``propensity``) and every figure is computed on rows
        weighted by their inverse (:func:`balancing_weights`).

        Parameters
        ----------
        frame : pandas.DataFrame
            Rows of a randomized experiment, with the treatment and outcome columns.
        name : str, default="data"
            Name of the data in the report.
        max_training_overlap : float, default=0.05
            Refuse the data when more than this share of its rows were training rows
            (an in-sample score reported as held-out would flatter the model).
        n_bootstraps : int, default=1000
            Bootstrap resamples per interval.
        progress : Progress, default=None
            Reports the scoring and the evaluation.
        propensity : str, default=None
            Column of ``frame`` with each row's logged probability of being treated.
        assume_recorded_selection : bool, default=False
            On a non-random assignment without logged propensities, weight by
            propensities estimated from the features instead of stopping.

        Returns
        -------
        Evaluation
            The paired comparison and the saved rule's measured profit.

        Raises
        ------
        NotRandomizedError
            When the treatment was not assigned at random and nothing corrects it.
        """
        return evaluate_model(
            self, frame, name=name, max_training_overlap=max_training_overlap,
            n_bootstraps=n_bootstraps, progress=progress, propensity=propensity,
            assume_recorded_selection=assume_recorded_selection,
        )  # fmt: skip

    def monitor(self, frame, *, batch="auto", progress=None):
        """Realized against expected uplift, in money, drift and alerts of a campaign batch.

        Parameters
        ----------
        frame : pandas.DataFrame
            A labelled batch: the customers of a campaign, treated and a randomized
            control (holdout), with their outcomes.
        batch : {"auto", "targeted", "population"}, default="auto"
            What the batch is (see ``monitor_batch``): the model's target list with a
            random holdout, or a random batch of the population.
        progress : Progress, default=None
            Reports the scoring.

        Returns
        -------
        MonitorResult
        """
        return monitor_model(self, frame, batch=batch, progress=progress)

    def save(self, directory):
        """Write the model directory (atomically, with its sha256 manifest).

        Parameters
        ----------
        directory : str or path-like
            The directory to (re)create.

        Returns
        -------
        pathlib.Path
            The directory.
        """
        objects = {"uplift_model": self.uplift_model, "outcome_model": self.outcome_model}
        if self.fingerprints:
            objects["training_rows"] = self.fingerprints
        documents = {
            **{k: v for k, v in self.documents.items() if k not in ("schema", "versions")},
            "schema": {"roles": self.roles.to_dict(), **self.schema.to_dict()},
        }
        self.path = save_model_directory(
            directory, objects=objects, documents=documents, texts={CARD_FILE: self.card.to_toml()}
        )
        return self.path


def load_model(path):
    """Verify and load a model directory written by ``SavedModel.save`` or ``actionable fit``.

    Every file is checked against the directory's sha256 manifest before anything
    is unpickled; only load model directories from places you trust.

    Parameters
    ----------
    path : str or path-like
        The model directory.

    Returns
    -------
    SavedModel
        Its :meth:`SavedModel.score` scores a table of customers.

    Raises
    ------
    ModelIntegrityError
        If a file is missing, added or changed since the model was saved, or the
        directory was not written by actionable.

    Warns
    -----
    ModelVersionWarning
        If it was saved with other versions of actionable or its dependencies.

    Examples
    --------
    >>> import actionable
    >>> model = actionable.load_model("churn-model")  # doctest: +SKIP
    >>> calls = model.score(this_week, capacity=500)  # doctest: +SKIP
    >>> calls.loc[calls["target"] == 1, "customer_id"]  # doctest: +SKIP
    """
    loaded = load_model_directory(path)
    documents = loaded.documents
    required = ("schema", "rule", "training", "drift_reference")
    missing = [f"{n}.json" for n in required if n not in documents]
    missing += [f"{n}.joblib" for n in ("uplift_model", "outcome_model") if n not in loaded.objects]
    missing += [] if CARD_FILE in loaded.texts else [CARD_FILE]
    if missing:
        raise ModelIntegrityError(
            f"model directory {str(path)!r} has no {missing[0]}: it was not written by actionable."
        )
    roles = ColumnRoles.from_dict(documents["schema"]["roles"])
    if roles.outcome_type is None:  # saved before continuous outcomes: binary
        roles = dataclasses.replace(roles, outcome_type="binary")
    return SavedModel(
        path=Path(path),
        roles=roles,
        schema=FeatureSchema.from_dict(documents["schema"]),
        rule=TargetingRule.from_dict(documents["rule"]["rule"]),
        card=DecisionCard.from_toml_string(loaded.texts[CARD_FILE]),
        uplift_model=loaded.objects["uplift_model"],
        outcome_model=loaded.objects["outcome_model"],
        documents=documents,
        fingerprints=loaded.objects.get("training_rows"),
    )
