"""``PairedExperiment``: one split, two models, one evaluation."""

import copy

import numpy as np

from actionable.paired._evaluate import _check_binary_outcome, _check_framing, evaluate_paired
from actionable.paired._progress import Progress


def _take(values, rows):
    if values is None:
        return None
    if hasattr(values, "iloc"):
        return values.iloc[rows]
    return np.asarray(values)[rows]


def _framing_of(data):
    framing = data.extra.get("framing") if isinstance(data.extra, dict) else None
    if framing is not None:
        return framing
    return "churn" if "churn" in data.name.lower() else "response"


class PairedExperiment:
    """Train the naive outcome model and an uplift model on the same split, and compare them.

    One stratified split (on treatment x outcome) of a randomized experiment; the naive
    ``OutcomeClassifier`` and the uplift learner are fitted on the same training rows
    and scored on the same held-out rows; ``evaluate_paired`` then measures both: the
    outcome AUC, Qini and uplift AUCs with bootstrap intervals, uplift at 30 %, profit
    curves and best profits under the cost model, random and (with ground truth) oracle
    policies, and the customer types each model would contact.

    Parameters
    ----------
    learner : uplift estimator, default=None
        Unfitted uplift learner (``fit(X, y, treatment)`` / ``predict(X)``). ``None``
        uses ``DRLearner`` with LightGBM.
    outcome_model : classifier, default=None
        Unfitted naive model. ``None`` uses ``OutcomeClassifier`` (LightGBM, trained on
        all training rows, treatment ignored) in the experiment's framing.
    cost_model : CostModel or dict, default=None
        The economics. ``None`` uses the dataset's default ``costs``.
    test_size : float, default=0.3
        Share of rows held out for evaluation.
    k : float or int, default=None
        Common size at which policies are compared (see ``evaluate_paired``).
    framing : {"churn", "response"}, default=None
        ``None`` infers it from the dataset (``"churn"`` for churn data).
    confidence_level : float, default=0.95
        Coverage of every interval.
    n_bootstraps : int, default=1000
        Bootstrap resamples per interval.
    random_state : int or None, default=None
        Seeds the split, the models and the bootstrap.
    progress : bool, default=True
        Show a progress bar while fitting and evaluating.
    n_jobs : int, default=None
        Threads for the default LightGBM models.

    Attributes
    ----------
    result_ : PairedResult
        Everything measured on the held-out rows.
    outcome_model_, uplift_model_ : fitted estimators
        The two fitted models.
    cost_model_ : CostModel
        The economics used.
    train_index_, test_index_ : ndarray of int
        Positions of the training and held-out rows.

    See Also
    --------
    evaluate_paired : The evaluation alone, for already-fitted models.
    actionable.report.PairedReport : Renders the result as HTML, Markdown and JSON.

    Examples
    --------
    >>> from actionable import PairedExperiment, make_churn
    >>> experiment = PairedExperiment(n_bootstraps=50, random_state=0, progress=False, n_jobs=1)
    >>> result = experiment.fit(make_churn(4000, random_state=0)).result_
    >>> result.n_train, result.n_test
    (2800, 1200)
    >>> result.uplift.qini_auc.estimate > result.outcome.qini_auc.estimate
    True
    """

    def __init__(
        self,
        learner=None,
        *,
        outcome_model=None,
        cost_model=None,
        test_size=0.3,
        k=None,
        framing=None,
        confidence_level=0.95,
        n_bootstraps=1000,
        random_state=None,
        progress=True,
        n_jobs=None,
    ):
        self.learner = learner
        self.outcome_model = outcome_model
        self.cost_model = cost_model
        self.test_size = test_size
        self.k = k
        self.framing = framing
        self.confidence_level = confidence_level
        self.n_bootstraps = n_bootstraps
        self.random_state = random_state
        self.progress = progress
        self.n_jobs = n_jobs

    def _resolve_cost_model(self, data):
        from actionable.economics import CostModel

        cost_model = self.cost_model
        if cost_model is None:
            costs = getattr(data, "costs", None)
            if not costs:
                raise ValueError(
                    "cost_model is required: the data carries no default costs. Pass "
                    "PairedExperiment(cost_model=CostModel(value_per_success=..., ...))."
                )
            cost_model = costs
        if isinstance(cost_model, dict):
            cost_model = CostModel.from_dict(cost_model)
        if not isinstance(cost_model, CostModel):
            raise ValueError(
                f"cost_model must be a CostModel or a dict; got {type(cost_model).__name__}."
            )
        return cost_model

    def _models(self, framing, seed):
        from sklearn.base import clone

        from actionable.models import DRLearner, OutcomeClassifier

        def fresh(model):
            # scikit-learn estimators are cloned; duck-typed models (fit/predict only)
            # are deep-copied, so the object passed in is never fitted in place
            return clone(model) if hasattr(model, "get_params") else copy.deepcopy(model)

        if self.outcome_model is None:
            outcome = OutcomeClassifier(framing=framing, random_state=seed, n_jobs=self.n_jobs)
        else:
            outcome = fresh(self.outcome_model)
        if self.learner is None:
            uplift = DRLearner(random_state=seed, n_jobs=self.n_jobs)
        else:
            uplift = fresh(self.learner)
        return outcome, uplift

    def fit(self, data, y=None, treatment=None, *, y0=None, y1=None, true_effect=None):
        """Split, fit both models on the same rows, and evaluate them on the same held-out rows.

        Parameters
        ----------
        data : UpliftDataset or {array-like, pandas.DataFrame}
            An ``UpliftDataset`` (its truth, costs and names are used), or the features
            ``X`` with ``y`` and ``treatment`` given next.
        y : array-like of shape (n_samples,), default=None
            Outcomes (1 = favourable), when ``data`` is ``X``.
        treatment : array-like of shape (n_samples,), default=None
            1 treated, 0 control, when ``data`` is ``X``.
        y0, y1, true_effect : array-like of shape (n_samples,), default=None
            Potential outcomes and true effects, when ``data`` is ``X`` and they are known.

        Returns
        -------
        self : PairedExperiment
            With ``result_`` and the fitted models.
        """
        from sklearn.model_selection import train_test_split

        from actionable._validation import check_binary_treatment

        is_dataset = hasattr(data, "X") and hasattr(data, "treatment")
        if is_dataset:
            if y is not None or treatment is not None:
                raise ValueError("Pass either an UpliftDataset, or X with y and treatment.")
            X, y, treatment = data.X, data.y, data.treatment
            y0, y1, true_effect = data.y0, data.y1, data.true_effect
            framing = self.framing or _framing_of(data)
            names = {
                "dataset": data.name,
                "description": data.description,
                "outcome_name": data.outcome_name,
                "treatment_name": data.treatment_name,
            }
        else:
            if y is None or treatment is None:
                raise ValueError("y and treatment are required when data is a feature matrix X.")
            X = data
            framing = self.framing or "churn"
            names = {
                "dataset": "data",
                "description": "",
                "outcome_name": "outcome",
                "treatment_name": "treatment",
            }
        framing = _check_framing(framing)
        y_values = _check_binary_outcome(np.asarray(y))
        try:
            t_values = check_binary_treatment(np.asarray(treatment))
        except ValueError as exc:
            raise ValueError(
                f"{exc} A paired experiment compares one treatment with the control: keep "
                "the rows of one treated arm and of the control, coded 1 and 0."
            ) from None
        self.cost_model_ = self._resolve_cost_model(data if is_dataset else None)
        rng = np.random.default_rng(self.random_state)
        split_seed, model_seed, eval_seed = (int(s) for s in rng.integers(2**31 - 1, size=3))
        strata = 2 * t_values + y_values
        index = np.arange(y_values.size)
        self.train_index_, self.test_index_ = train_test_split(
            index, test_size=self.test_size, random_state=split_seed, stratify=strata
        )
        train, test = self.train_index_, self.test_index_
        outcome, uplift = self._models(framing, model_seed)
        bar = Progress(2, self.progress, "fitting")
        try:
            bar.step(f"fitting {type(outcome).__name__}")
            outcome.fit(_take(X, train), y_values[train], t_values[train])
            bar.done()
            bar.step(f"fitting {type(uplift).__name__}")
            uplift.fit(_take(X, train), y_values[train], t_values[train])
            bar.done()
        finally:
            bar.close()
        self.outcome_model_, self.uplift_model_ = outcome, uplift
        split_note = (
            f"Split: {train.size:,} training and {test.size:,} held-out rows "
            f"({100 * self.test_size:.0f}%), stratified on treatment x outcome; both models "
            "were trained on the same training rows."
        )
        self.result_ = evaluate_paired(
            outcome,
            uplift,
            _take(X, test),
            y_values[test],
            t_values[test],
            cost_model=self.cost_model_,
            y0=_take(y0, test),
            y1=_take(y1, test),
            true_effect=_take(true_effect, test),
            framing=framing,
            k=self.k,
            n_train=train.size,
            confidence_level=self.confidence_level,
            n_bootstraps=self.n_bootstraps,
            random_state=eval_seed,
            progress=self.progress,
            notes=[split_note],
            **names,
        )
        return self
