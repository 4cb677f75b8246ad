"""The profit of a targeting policy that was never run, measured on a randomized experiment.

A policy assigns every customer one action: one of the experiment's treatment arms,
or the control ("do nothing"). In a randomized experiment, the customers of arm *a*
are a random sample of everyone, so those among them whom the policy would give *a*
are a random sample of the customers the policy gives *a*. Summing over the arms::

    profit(policy) = sum over arms a != control of  mean_{i in a}[ 1{policy(x_i) = a} * m_i ]
                     - mean_{i in control}[ 1{policy(x_i) != control} * m_i ]

per customer, relative to contacting nobody, where ``m_i`` is the money customer *i*
made in the arm they were in: ``outcome_value * y_i`` (``value_per_success`` for a
binary outcome, ``value_per_unit`` for a continuous one such as spend) minus, in a
treated arm, the contact and incentive costs. The arm means weight each arm by its own size, so the
estimate is unbiased whatever the assignment shares (it is the per-arm, Hajek form of
inverse-propensity weighting). The intervals resample customers within each arm,
with the same resamples for every policy, so differences between policies get
intervals too.
"""

import dataclasses

import numpy as np
import pandas as pd

from actionable._interval import Interval
from actionable._resampling import (
    DEFAULT_N_BOOTSTRAPS,
    draw_counts,
    percentile_interval,
    replicates_in_blocks,
)
from actionable._validation import (
    as_1d_float,
    check_bootstrap_parameters,
    check_control_label,
    check_sample_weight,
)
from actionable.economics._cost_model import CostModel, check_valuation

_MSG_POLICIES = "policies must be a dict of name -> array of actions (one per row); got {type}."
_MSG_POLICY_LENGTH = "policy {name!r} has {length} actions for {n} rows."
_MSG_UNKNOWN_ACTION = (
    "policy {name!r} assigns action {action!r} at position {index}, which is neither an arm "
    "of the experiment nor the control; the experiment's arms: {arms}."
)
_MSG_COSTS = "cost_model must be a CostModel or a dict of arm -> CostModel; got {type}."
_MSG_MISSING_ARM_COST = "cost_model has no CostModel for arm {arm!r}."
_MSG_VALUES_DIFFER = (
    "cost_model: every arm's CostModel must value a success the same (a success, or a unit "
    "of outcome, is worth the same whatever the action); got {values}."
)
_MSG_UNKNOWN_POLICY = "no policy named {name!r}; the policies: {names}."


@dataclasses.dataclass(frozen=True)
class PolicyProfits:
    """Profit per customer of each policy, relative to contacting nobody, with intervals.

    Returned by :func:`policy_profit`.

    Attributes
    ----------
    names : tuple of str
        Policy names, in the order given.
    profit : ndarray of shape (n_policies,)
        Estimated profit per customer of each policy.
    low, high : ndarray of shape (n_policies,)
        Percentile bootstrap interval of each profit.
    replicates : ndarray of shape (n_bootstraps, n_policies)
        The bootstrap replicates, on the same resamples for every policy.
    contacted : ndarray of shape (n_policies,)
        Share of customers each policy contacts (any arm but the control).
    confidence_level : float
    """

    names: tuple
    profit: np.ndarray
    low: np.ndarray
    high: np.ndarray
    replicates: np.ndarray
    contacted: np.ndarray
    confidence_level: float

    def to_frame(self, per=1):
        """The estimates as a table, one row per policy.

        Parameters
        ----------
        per : int, default=1
            Scale: profit per ``per`` customers (e.g. 1000).

        Returns
        -------
        pandas.DataFrame
            Columns ``profit``, ``low``, ``high`` and ``contacted`` (share).
        """
        return pd.DataFrame(
            {
                "profit": per * self.profit,
                "low": per * self.low,
                "high": per * self.high,
                "contacted": self.contacted,
            },
            index=pd.Index(self.names, name="policy"),
        )

    def difference(self, name, other):
        """Profit of policy ``name`` minus that of ``other``, with its paired interval.

        Parameters
        ----------
        name, other : str
            Policy names.

        Returns
        -------
        actionable.metrics.Interval
            The difference per customer and its percentile bootstrap interval over
            the shared resamples (method ``"paired bootstrap"``).
        """
        first, second = self._index(name), self._index(other)
        values = self.replicates[:, first] - self.replicates[:, second]
        estimate = self.profit[first] - self.profit[second]
        return percentile_interval(
            estimate, values, self.confidence_level, method="paired bootstrap"
        )

    def interval(self, name):
        """Profit per customer of policy ``name`` with its interval.

        Parameters
        ----------
        name : str
            Policy name.

        Returns
        -------
        actionable.metrics.Interval
            ``profit``, ``low`` and ``high`` of that policy.
        """
        index = self._index(name)
        return Interval(
            float(self.profit[index]),
            float(self.low[index]),
            float(self.high[index]),
            self.confidence_level,
            "bootstrap",
        )

    def _index(self, name):
        if name not in self.names:
            raise ValueError(_MSG_UNKNOWN_POLICY.format(name=name, names=list(self.names)))
        return self.names.index(name)


def policy_profit(
    y_true,
    treatment,
    policies,
    *,
    cost_model,
    control_label=0,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    confidence_level=0.95,
    random_state=None,
    sample_weight=None,
):
    """Profit of policies that assign each customer an action, measured on an experiment.

    Works with any number of arms: a policy may choose, per customer, one of several
    offers or none. Each policy is scored on the rows whose randomized arm is the
    action it recommends (see the module notes for the estimator); the result is
    per customer and relative to contacting nobody, so "contact nobody" is worth 0.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Outcome, 1 = success (visit, purchase, retained); a non-negative amount also
        works (the value of a success is then per unit).
    treatment : array-like of shape (n_samples,)
        The arm each row was randomized to (any labels).
    policies : dict of str -> array-like of shape (n_samples,)
        For each policy, the action it chooses for each row: a label of
        ``treatment``. Every action must have been randomized in the experiment.
    cost_model : CostModel or dict of arm -> CostModel
        Value of the outcome (per success or per unit) and costs of a contact; a
        dict gives each treated arm its own costs (an e-mail and a call cost
        differ). Capacity and budget are not applied: a policy's contacts are
        what it says.
    control_label : object, default=0
        The label of the control arm ("do nothing").
    n_bootstraps : int, default=1000
        Bootstrap replicates (resampling rows within each arm).
    confidence_level : float, default=0.95
    random_state : None, int, numpy Generator or RandomState, default=None
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights, e.g. the inverse propensity weights of a targeted campaign whose
        contact probabilities are known: each arm's mean becomes a weighted mean
        (and so in every bootstrap replicate).

    Returns
    -------
    PolicyProfits
        Estimates, intervals and the replicates; ``.to_frame(per=1000)`` for a
        table, ``.difference(a, b)`` for a paired comparison.

    Raises
    ------
    ValueError
        If a policy has the wrong length or chooses an action the experiment never
        randomized, if there is no control row, or on bad parameters.

    Examples
    --------
    Two e-mails and no e-mail, randomized; the second e-mail works only on
    customers with ``x > 0``:

    >>> import numpy as np
    >>> from actionable.economics import CostModel, policy_profit
    >>> rng = np.random.default_rng(0)
    >>> arm = rng.choice(["none", "mens", "womens"], 30_000)
    >>> x = rng.normal(size=30_000)
    >>> y = rng.random(30_000) < 0.10 + 0.02 * (arm == "mens") + 0.06 * (arm == "womens") * (x > 0)
    >>> result = policy_profit(
    ...     y, arm,
    ...     {"mens to all": np.full(30_000, "mens"),
    ...      "womens where x > 0": np.where(x > 0, "womens", "none")},
    ...     cost_model=CostModel(10.0, cost_per_contact=0.1), control_label="none",
    ...     n_bootstraps=200, random_state=0)
    >>> result.to_frame(per=1000).round(2)
                        profit     low    high  contacted
    policy
    mens to all          65.10  -11.11  164.79        1.0
    womens where x > 0  258.77  194.98  335.78        0.5
    >>> diff = result.difference("womens where x > 0", "mens to all")
    >>> bool(diff.low > 0)
    True
    """
    y = as_1d_float(y_true, "y_true")
    arms = np.asarray(treatment)
    if arms.ndim != 1 or arms.shape[0] != y.shape[0]:
        raise ValueError(
            f"Inconsistent numbers of samples: y_true={y.shape[0]}, treatment={arms.shape[0]}."
        )
    n_bootstraps, confidence_level, rng = check_bootstrap_parameters(
        n_bootstraps, confidence_level, random_state
    )
    check_control_label(arms, control_label)
    labels = [_plain(label) for label in pd.unique(arms)]
    treated_labels = [label for label in labels if not _same(label, control_label)]
    costs = _arm_costs(cost_model, treated_labels)
    check_valuation(costs[treated_labels[0]], y_true=y)
    names, actions = _check_policies(policies, y.shape[0], labels)

    groups = [np.flatnonzero(_equals(arms, label)) for label in [*treated_labels, control_label]]
    money = np.zeros_like(y)
    for label, rows in zip(treated_labels, groups, strict=False):
        model = costs[label]
        money[rows] = model.outcome_value * y[rows] - model.contact_cost(
            np.ones(rows.size), y[rows]
        )
    control_rows = groups[-1]
    money[control_rows] = costs[treated_labels[0]].outcome_value * y[control_rows]
    # contribution[i, p]: row i's term in policy p's estimate, before dividing by its arm size
    contribution = np.empty((y.shape[0], len(names)))
    for p, chosen in enumerate(actions):
        is_control_action = _equals(chosen, control_label)
        follows = chosen == arms
        contribution[:, p] = money * follows
        contribution[control_rows, p] = -money[control_rows] * ~is_control_action[control_rows]
    weight = check_sample_weight(sample_weight, y.shape[0])
    weight = np.ones_like(y) if weight is None else weight
    for label, rows in zip([*treated_labels, control_label], groups, strict=True):
        if not weight[rows].sum() > 0:
            raise ValueError(f"sample_weight is 0 on every row of arm {_plain(label)!r}.")
    weighted = contribution * weight[:, None]
    profit = sum(weighted[rows].sum(axis=0) / weight[rows].sum() for rows in groups)
    replicates = _bootstrap(weighted, weight, groups, n_bootstraps, rng)
    band = percentile_interval(profit, replicates, confidence_level)
    contacted = np.array([1.0 - _equals(chosen, control_label).mean() for chosen in actions])
    return PolicyProfits(
        names=tuple(names),
        profit=np.asarray(profit, dtype=np.float64),
        low=band.low,
        high=band.high,
        replicates=replicates,
        contacted=contacted,
        confidence_level=confidence_level,
    )


def _plain(value):
    """A numpy scalar as the Python value it holds (for readable messages)."""
    return value.item() if isinstance(value, np.generic) else value


def _equals(values, label):
    """Elementwise ``values == label`` as a boolean array (all False if incomparable)."""
    result = np.asarray(values == label)
    return result.astype(bool) if result.shape == values.shape else np.zeros(values.shape, bool)


def _same(label, other):
    return bool(label == other) if np.ndim(label) == 0 else False


def _arm_costs(cost_model, treated_labels):
    if isinstance(cost_model, CostModel):
        return dict.fromkeys(treated_labels, cost_model)
    if not isinstance(cost_model, dict) or not all(
        isinstance(model, CostModel) for model in cost_model.values()
    ):
        raise ValueError(_MSG_COSTS.format(type=type(cost_model).__name__))
    for label in treated_labels:
        if label not in cost_model:
            raise ValueError(_MSG_MISSING_ARM_COST.format(arm=label))
    costs = {label: cost_model[label] for label in treated_labels}
    values = {label: _value_name(model) for label, model in costs.items()}
    if len(set(values.values())) > 1:
        raise ValueError(_MSG_VALUES_DIFFER.format(values=values))
    return costs


def _value_name(model):
    """``'value_per_success=10.0'`` or ``'value_per_unit=0.3'``: how a model values outcomes."""
    name = "value_per_unit" if model.per_unit else "value_per_success"
    return f"{name}={model.outcome_value!r}"


def _check_policies(policies, n_samples, labels):
    if not isinstance(policies, dict) or not policies:
        raise ValueError(_MSG_POLICIES.format(type=type(policies).__name__))
    known = pd.Index(labels)
    names, actions = [], []
    for name, chosen in policies.items():
        chosen = np.asarray(chosen)
        if chosen.ndim != 1 or chosen.shape[0] != n_samples:
            raise ValueError(_MSG_POLICY_LENGTH.format(name=name, length=len(chosen), n=n_samples))
        unknown = ~pd.Index(chosen).isin(known)
        if unknown.any():
            index = int(np.flatnonzero(unknown)[0])
            message = _MSG_UNKNOWN_ACTION.format(
                name=name, action=_plain(chosen[index]), index=index, arms=labels
            )
            raise ValueError(message)
        names.append(str(name))
        actions.append(chosen)
    return names, actions


def _bootstrap(contribution, weight, groups, n_bootstraps, rng):
    """Replicates of the estimate, resampling rows within each arm; shape (B, P).

    ``contribution`` holds each row's weighted term; each arm's replicate divides its
    resampled sum by its resampled total ``weight``.
    """
    n_samples = contribution.shape[0]

    def replicates(size):
        counts = draw_counts(rng, groups, n_samples, size)
        total = np.zeros((size, contribution.shape[1]))
        for rows in groups:
            in_arm = counts[:, rows]
            total += (in_arm @ contribution[rows]) / (in_arm @ weight[rows])[:, np.newaxis]
        return total

    return replicates_in_blocks(replicates, n_bootstraps, n_samples)
