"""``UpliftDataset``: the one container returned by every loader and generator."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(repr=False)
class UpliftDataset:
    """A randomized experiment: features, outcome, treatment, and (if known) the truth.

    Every loader (``load_hillstrom``, ``fetch_*``) and generator (``make_churn``)
    returns one. ``y`` is coded 1 = favourable (retained, visit, purchase) and
    ``treatment`` 1 = treated/contacted, 0 = control; multi-arm data keeps its arm
    labels in ``treatment`` with ``control_label`` naming the control arm.

    Parameters
    ----------
    X : pandas.DataFrame of shape (n_samples, n_features)
        Features only (no treatment, outcome or identifier columns).
    y : pandas.Series of shape (n_samples,)
        Outcome, 1 = favourable (or a continuous outcome such as spend).
    treatment : pandas.Series of shape (n_samples,)
        Treatment assignment.
    name : str
        Short dataset name (``"churn"``, ``"hillstrom"``, ...).
    description : str
        Human-readable description: source, story, terms.
    y0, y1 : ndarray of shape (n_samples,), default=None
        Potential outcomes without / with treatment (synthetic data only).
    true_effect : ndarray of shape (n_samples,), default=None
        Each sample's true expected effect E[y | treated, x] - E[y | control, x]:
        P(y=1 | treated) - P(y=1 | control) for a 0/1 outcome (synthetic data only).
    customer_type : pandas.Series of shape (n_samples,), default=None
        ``"persuadable"``, ``"sure thing"``, ``"lost cause"`` or ``"sleeping dog"``
        (synthetic data only).
    costs : dict, default=None
        Default economics for demos, fields of ``actionable.economics.CostModel``:
        ``value_per_success`` (or ``value_per_unit`` for a continuous outcome),
        ``cost_per_contact``, ``incentive_cost`` (and optionally ``incentive_paid``).
    terms : str, default=""
        Licence or terms of use.
    control_label : object, default=0
        Value of ``treatment`` that marks the control group.
    outcome_name : str, default="y"
        Name of the outcome column in the source data.
    treatment_name : str, default="treatment"
        Name of the treatment column in the source data.
    extra : dict, default={}
        Anything else a loader knows: e.g. ``costs_note`` (where ``costs`` come from),
        ``world`` and ``world_parameters`` (``make_churn``), identifiers.

    Examples
    --------
    >>> import pandas as pd
    >>> data = UpliftDataset(X=pd.DataFrame({"a": [1, 2]}), y=pd.Series([1, 0]),
    ...                      treatment=pd.Series([1, 0]), name="toy", description="")
    >>> data.n_samples, data.has_truth
    (2, False)
    """

    X: pd.DataFrame
    y: pd.Series
    treatment: pd.Series
    name: str
    description: str
    y0: np.ndarray | None = None
    y1: np.ndarray | None = None
    true_effect: np.ndarray | None = None
    customer_type: pd.Series | None = None
    costs: dict | None = None
    terms: str = ""
    control_label: object = 0
    outcome_name: str = "y"
    treatment_name: str = "treatment"
    extra: dict = field(default_factory=dict)

    @property
    def n_samples(self):
        """Number of rows."""
        return len(self.X)

    @property
    def has_truth(self):
        """Whether potential outcomes are known (synthetic data)."""
        return self.y0 is not None and self.y1 is not None

    def __repr__(self):
        truth = ", with ground truth" if self.has_truth else ""
        return (
            f"UpliftDataset(name={self.name!r}, n_samples={self.n_samples}, "
            f"n_features={self.X.shape[1]}{truth})"
        )

    def __len__(self):
        return self.n_samples
