"""``PairedExperiment``: one split, two models, one evaluation."""

import copy
from dataclasses import dataclass

import numpy as np

from actionable._resampling import DEFAULT_N_BOOTSTRAPS
from actionable.paired._evaluate import evaluate_paired
from actionable.paired._inputs import check_costs_for_outcome
from actionable.paired._policies import check_framing, check_outcome, framing_of
from actionable.paired._progress import Progress

_TRAIN_ON = ("all", "control", "treated")
_MSG_BASELINES = (
    "baselines must be 'auto' or a sequence of 'all', 'treated' and 'control' (the rows "
    "each extra naive model learns from); got {value!r}."
)


def _take(values, rows):
    if values is None:
        return None
    if hasattr(values, "iloc"):
        return values.iloc[rows]
    return np.asarray(values)[rows]


def _world_of(data):
    """The parameters of a synthetic world (``make_churn``), or ``None`` for real data."""
    parameters = data.extra.get("world_parameters") if isinstance(data.extra, dict) else None
    return dict(parameters) if parameters else None


def _framing_of(data):
    """The dataset's own framing, else the one rule (:func:`framing_of` its outcome)."""
    framing = data.extra.get("framing") if isinstance(data.extra, dict) else None
    return framing if framing is not None else framing_of(data.y)


@dataclass(frozen=True)
class _Experiment:
    """The rows of an experiment and what is known about them, from a dataset or from arrays."""

    X: object
    y: object
    treatment: object
    y0: object
    y1: object
    true_effect: object
    framing: str
    world: dict | None
    names: dict
    """``dataset``, ``description``, ``outcome_name`` and ``treatment_name``, for reports."""
    dataset: object
    """The ``UpliftDataset`` given, or None for arrays."""


def _experiment_of(data, y, treatment, *, y0, y1, true_effect, framing):
    """The rows to split: an ``UpliftDataset``'s (with its truth and names), or the arrays."""
    if hasattr(data, "X") and hasattr(data, "treatment"):
        if y is not None or treatment is not None:
            raise ValueError("Pass either an UpliftDataset, or X with y and treatment.")
        names = {
            "dataset": data.name,
            "description": data.description,
            "outcome_name": data.outcome_name,
            "treatment_name": data.treatment_name,
        }
        return _Experiment(
            X=data.X,
            y=data.y,
            treatment=data.treatment,
            y0=data.y0,
            y1=data.y1,
            true_effect=data.true_effect,
            framing=framing or _framing_of(data),
            world=_world_of(data),
            names=names,
            dataset=data,
        )
    if y is None or treatment is None:
        raise ValueError("y and treatment are required when data is a feature matrix X.")
    names = {
        "dataset": "data",
        "description": "",
        "outcome_name": "outcome",
        "treatment_name": "treatment",
    }
    return _Experiment(
        X=data,
        y=y,
        treatment=treatment,
        y0=y0,
        y1=y1,
        true_effect=true_effect,
        framing=framing or framing_of(y),
        world=None,
        names=names,
        dataset=None,
    )


def _checked_arms(y, treatment):
    """``(y, treatment, continuous)``: float arrays, one treated arm against the control."""
    from actionable._validation import check_binary_treatment

    y_values, continuous = check_outcome(np.asarray(y))
    try:
        t_values = check_binary_treatment(np.asarray(treatment))
    except ValueError as exc:
        raise ValueError(
            f"{exc} A paired experiment compares one treatment with the control: keep "
            "the rows of one treated arm and of the control, coded 1 and 0."
        ) from None
    return y_values, t_values, continuous


def _strata(y_values, t_values, continuous):
    """``(strata, words)`` of the split: treatment x outcome (above its median if continuous)."""
    if not continuous:
        return 2 * t_values + y_values, "treatment x outcome"
    above = y_values > np.median(y_values)
    return 2 * t_values + above, "treatment x outcome above or below its median"


def _fit_all(models, X, y, treatment, progress):
    """Fit every model on the same training rows, with a progress bar."""
    bar = Progress(len(models), progress, "fitting")
    try:
        for model in models:
            bar.step(f"fitting {type(model).__name__}")
            model.fit(X, y, treatment)
            bar.done()
    finally:
        bar.close()


class PairedExperiment:
    """Train the naive outcome model and an uplift model on the same split, and compare them.

    One stratified split (on treatment x outcome) of a randomized experiment; the naive
    models and the uplift learner are fitted on the same training rows and scored on
    the same held-out rows; ``evaluate_paired`` then measures them all: the outcome
    AUC, Qini and uplift AUCs with bootstrap intervals, uplift at 30 %, profit curves
    and best profits under the cost model, random and (with ground truth) oracle
    policies, the customer types each model would contact, and the uplift model's
    advantage over the strongest naive model, with a paired interval.

    The naive contender is the model a churn team actually deploys: an
    ``OutcomeClassifier`` trained on the customers nobody contacted, which learns the
    risk of leaving if nothing is done (in the response framing, the chance of
    responding without contact). Variants trained on other rows are reported beside it
    (``baselines``), and the comparison is always with the strongest of them.

    The outcome may be binary (1 = favourable) or continuous (any amounts, e.g.
    revenue kept or spend; zeros and negative values allowed). With a continuous
    outcome the naive models are ``OutcomeRegressor`` models (in the churn framing the
    expected outcome at risk, P(y = 0 | x) x E[y | y > 0, x], highest first, or the
    lowest predicted outcome first when that cannot be modelled; in the response
    framing the highest predicted outcome first), the
    uplift learner fits regressors, effects and Qini gains are in outcome units,
    profits in money (``CostModel(value_per_unit=...)``), ``result_.average_effect``
    is the difference in means of the treated and control held-out rows with its
    bootstrap interval, and no customer types are estimated (they are defined for a
    0/1 outcome only). The split is then stratified on treatment x outcome above or
    below its median.

    Parameters
    ----------
    learner : uplift estimator, default=None
        Unfitted uplift learner (``fit(X, y, treatment)`` / ``predict(X)``). ``None``
        uses the default learner (``actionable.models.DEFAULT_LEARNER``, the T-learner)
        with LightGBM.
    outcome_model : estimator, default=None
        Unfitted naive contender, fitted with ``fit(X, y, treatment)`` on the training
        rows. ``None`` uses ``OutcomeClassifier(train_on="control")`` (LightGBM) in
        the experiment's framing, ``OutcomeRegressor(train_on="control")`` for a
        continuous outcome.
    baselines : "auto" or sequence of {"all", "treated", "control"}, default="auto"
        Further naive models (``OutcomeClassifier``, or ``OutcomeRegressor`` for a
        continuous outcome; LightGBM), one per kind of rows
        they learn from: ``"all"`` pools treated and control rows and ignores the
        treatment; ``"treated"`` learns from the contacted customers only (a
        campaign's response model). ``"auto"``: ``("all",)`` in the churn framing,
        ``("all", "treated")`` in the response framing. ``()`` for none.
    cost_model : CostModel or dict, default=None
        The economics. ``None`` uses the dataset's default ``costs``.
    test_size : float, default=0.3
        Share of rows held out for evaluation.
    k : float or int, default=None
        Common size at which policies are compared (see ``evaluate_paired``).
    framing : {"churn", "response"}, default=None
        ``None``: the dataset's own (``extra["framing"]``), else :func:`framing_of` the
        outcome (churn when the favourable outcome, or a non-zero amount, is the
        common one).
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
        The fitted naive contender and uplift model.
    baseline_models_ : dict of str to fitted estimator
        The other naive models, keyed by the rows they learned from.
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
    >>> result.outcome.trained_on, result.policies["outcome_pooled"].trained_on
    ('control', 'all')
    >>> result.uplift.qini_auc.estimate > result.outcome.qini_auc.estimate
    True

    The same customers measured in monthly revenue kept (a continuous outcome):

    >>> revenue = make_churn(4000, random_state=0, outcome="revenue")
    >>> result = experiment.fit(revenue).result_
    >>> result.outcome_type, result.framing, result.outcome.label
    ('continuous', 'churn', 'Revenue kept at risk (highest first)')
    >>> effect = result.average_effect  # revenue kept per customer, treated minus control
    >>> bool(effect.low < effect.estimate < effect.high)
    True
    >>> result.outcome.customer_types is None  # types are defined for a yes/no outcome only
    True
    """

    def __init__(
        self,
        learner=None,
        *,
        outcome_model=None,
        baselines="auto",
        cost_model=None,
        test_size=0.3,
        k=None,
        framing=None,
        confidence_level=0.95,
        n_bootstraps=DEFAULT_N_BOOTSTRAPS,
        random_state=None,
        progress=True,
        n_jobs=None,
    ):
        self.learner = learner
        self.outcome_model = outcome_model
        self.baselines = baselines
        self.cost_model = cost_model
        self.test_size = test_size
        self.k = k
        self.framing = framing
        self.confidence_level = confidence_level
        self.n_bootstraps = n_bootstraps
        self.random_state = random_state
        self.progress = progress
        self.n_jobs = n_jobs

    def _costs_note(self, data):
        """The dataset's note on its costs, when its own costs are used."""
        if self.cost_model is not None or data is None or not isinstance(data.extra, dict):
            return None
        return data.extra.get("costs_note")

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

    def _baselines(self, framing):
        if isinstance(self.baselines, str):
            if self.baselines != "auto":
                raise ValueError(_MSG_BASELINES.format(value=self.baselines))
            return ("all",) if framing == "churn" else ("all", "treated")
        baselines = tuple(self.baselines)
        if any(b not in _TRAIN_ON for b in baselines) or len(set(baselines)) != len(baselines):
            raise ValueError(_MSG_BASELINES.format(value=self.baselines))
        if self.outcome_model is None and "control" in baselines:
            raise ValueError(
                "baselines: the default contender already learns from the control rows; "
                "leave 'control' out, or pass your own outcome_model."
            )
        return baselines

    def _models(self, framing, seed, continuous):
        from sklearn.base import clone

        from actionable.models import (
            DEFAULT_LEARNER,
            OutcomeClassifier,
            OutcomeRegressor,
            make_learner,
        )

        naive_model = OutcomeRegressor if continuous else OutcomeClassifier

        def fresh(model):
            # scikit-learn estimators are cloned; duck-typed models (fit/predict only)
            # are deep-copied, so the object passed in is never fitted in place
            return clone(model) if hasattr(model, "get_params") else copy.deepcopy(model)

        def naive(train_on):
            return naive_model(
                train_on=train_on, framing=framing, random_state=seed, n_jobs=self.n_jobs
            )

        outcome = naive("control") if self.outcome_model is None else fresh(self.outcome_model)
        baselines = {train_on: naive(train_on) for train_on in self._baselines(framing)}
        if self.learner is None:
            uplift = make_learner(DEFAULT_LEARNER, seed, n_jobs=self.n_jobs)
        else:
            uplift = fresh(self.learner)
        return outcome, baselines, uplift

    def fit(self, data, y=None, treatment=None, *, y0=None, y1=None, true_effect=None):
        """Split, fit both models on the same rows, and evaluate them on the same held-out rows.

        Parameters
        ----------
        data : UpliftDataset or {array-like, pandas.DataFrame}
            An ``UpliftDataset`` (its truth, costs and names are used), or the features
            ``X`` with ``y`` and ``treatment`` given next.
        y : array-like of shape (n_samples,), default=None
            Outcomes (1 = favourable, or amounts), when ``data`` is ``X``.
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

        experiment = _experiment_of(
            data, y, treatment, y0=y0, y1=y1, true_effect=true_effect, framing=self.framing
        )
        framing = check_framing(experiment.framing)
        y_values, t_values, continuous = _checked_arms(experiment.y, experiment.treatment)
        self.cost_model_ = self._resolve_cost_model(experiment.dataset)
        check_costs_for_outcome(self.cost_model_, y_values, continuous)
        rng = np.random.default_rng(self.random_state)
        split_seed, model_seed, eval_seed = (int(s) for s in rng.integers(2**31 - 1, size=3))
        strata, strata_words = _strata(y_values, t_values, continuous)
        index = np.arange(y_values.size)
        self.train_index_, self.test_index_ = train_test_split(
            index, test_size=self.test_size, random_state=split_seed, stratify=strata
        )
        train, test = self.train_index_, self.test_index_
        outcome, baselines, uplift = self._models(framing, model_seed, continuous)
        X_train, y_train, t_train = _take(experiment.X, train), y_values[train], t_values[train]
        _fit_all([outcome, *baselines.values(), uplift], X_train, y_train, t_train, self.progress)
        self.outcome_model_, self.uplift_model_ = outcome, uplift
        self.baseline_models_ = baselines
        split_note = (
            f"Split: {train.size:,} training and {test.size:,} held-out rows "
            f"({100 * self.test_size:.0f}%), stratified on {strata_words}."
        )
        self.result_ = evaluate_paired(
            outcome,
            uplift,
            _take(experiment.X, test),
            y_values[test],
            t_values[test],
            cost_model=self.cost_model_,
            baseline_models=baselines,
            y0=_take(experiment.y0, test),
            y1=_take(experiment.y1, test),
            true_effect=_take(experiment.true_effect, test),
            framing=framing,
            k=self.k,
            n_train=train.size,
            n_train_treated=int(t_train.sum()),
            world=experiment.world,
            costs_note=self._costs_note(experiment.dataset),
            confidence_level=self.confidence_level,
            n_bootstraps=self.n_bootstraps,
            random_state=eval_seed,
            progress=self.progress,
            notes=[split_note],
            **experiment.names,
        )
        return self
