"""The targeted group in plain words: a shallow tree fitted to the targeting decision."""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from actionable._resampling import DEFAULT_N_BOOTSTRAPS
from actionable.paired._result import Interval
from actionable.paired._rules import (
    collapsed_leaves,
    conditions_text,
    encode_features,
    fit_tree,
)

DEFAULT_MAX_DEPTH = 3
"""Depth of the describing tree: at most eight groups of at most three conditions each.
Measured on ``make_churn`` (a T-learner trained on 30,000 rows, the decision its best
size, about 27 %; five test samples each of 2,000, 6,000 and 20,000 rows): at depth 3
the groups agree with the decision on 85.2-85.8 % of the rows on average, at depth 2
on 83.9-84.9 %, contacting no one on 72.5-74.2 % (docs/user-guide/outcome-vs-uplift.md)."""
DEFAULT_MIN_LEAF_SHARE = 0.05
"""Smallest group, as a share of the rows. In the same measurement, at 5 % the five
samples of 6,000 and of 20,000 rows gave the same rules, and so did two disjoint
halves of each; at 2 % thresholds moved with the sample (``last_login_days <= 13``,
``14``, ``15``) and the halves agreed at most twice in five, for at most half a point
of agreement."""

_MSG_DEPTH = "max_depth must be 1, 2 or 3 (a description people can read); got {value!r}."
_MSG_OUTCOMES = (
    "the profit of each group needs, with cost_model, either y and treatment (a randomized "
    "test) or y0 and y1 (ground truth); got {given}."
)


def _list(values):
    return [v.to_dict() if hasattr(v, "to_dict") else v for v in values]


def _finite(value):
    return None if value is None or not math.isfinite(value) else float(value)


@dataclass(frozen=True)
class GroupLeaf:
    """One group of the description: a rule, its size, and what the decision does there.

    Parameters
    ----------
    conditions : tuple of str
        The rule's conditions, each on one feature (``"tenure_months <= 6"``,
        ``"contract is monthly"``); empty for "all customers".
    features : tuple of str
        The features the conditions name, in the same order.
    n_customers : int
        Rows in the group.
    share : float
        ``n_customers`` as a share of every row.
    n_contacted : int
        Rows of the group the decision contacts.
    share_contacted : float
        ``n_contacted / n_customers``.
    mostly_contacted : bool
        Whether at least half the group is contacted: the description's decision.
    mean_uplift : float or None
        Mean predicted uplift of the group (``None`` without the scores).
    profit : Interval or None
        Profit of contacting the group's contacted rows (and nobody else), total over
        the rows, relative to contacting no one; exact with ground truth, else
        estimated from the randomized rows with a bootstrap interval.
    """

    conditions: tuple
    features: tuple
    n_customers: int
    share: float
    n_contacted: int
    share_contacted: float
    mostly_contacted: bool
    mean_uplift: float | None
    profit: Interval | None

    @property
    def rule(self):
        """The conditions joined by "and" (``"all customers"`` when there are none)."""
        return " and ".join(self.conditions) if self.conditions else "all customers"

    def to_dict(self):
        """Return the group as a JSON-ready dict.

        Returns
        -------
        dict
            The fields, ``rule``, and ``profit`` as ``Interval.to_dict()`` (or ``None``).
        """
        return {
            "rule": self.rule,
            "conditions": list(self.conditions),
            "features": list(self.features),
            "n_customers": self.n_customers,
            "share": self.share,
            "n_contacted": self.n_contacted,
            "share_contacted": self.share_contacted,
            "mostly_contacted": self.mostly_contacted,
            "mean_uplift": _finite(self.mean_uplift),
            "profit": None if self.profit is None else self.profit.to_dict(),
        }


@dataclass(frozen=True, eq=False)
class GroupDescription:
    """Who a targeting decision contacts, in a few rules: returned by ``describe_targeted_group``.

    Parameters
    ----------
    leaves : tuple of GroupLeaf
        The groups, most contacted first; they partition the rows.
    row_leaf : ndarray of shape (n_customers,)
        Each row's group (an index into ``leaves``).
    n_customers, n_contacted : int
        Rows described, and rows the decision contacts.
    accuracy : float
        Share of rows on which the description (contact the groups marked mostly
        contacted, nobody else) agrees with the decision.
    baseline_accuracy : float
        The same for the best rule without features: contact everyone, or no one.
    recall : float or None
        Share of the contacted rows that fall in the groups marked mostly contacted
        (``None`` when nobody is contacted): what accuracy hides when few are contacted.
    max_depth : int
        Depth of the tree the groups come from.
    min_leaf_share : float
        Smallest group the tree could make, as a share of the rows.
    profit : Interval or None
        Profit of the decision (its contacted rows), the sum of the groups' profits.
    rules_profit : Interval or None
        Profit of the description used as a rule: contacting every row of the groups
        marked mostly contacted.
    profit_exact : bool
        Whether the profits come from ground truth (exact) rather than an estimate.
    method : str
        How the groups and their profits were computed, in words.
    """

    leaves: tuple
    row_leaf: np.ndarray
    n_customers: int
    n_contacted: int
    accuracy: float
    baseline_accuracy: float
    recall: float | None
    max_depth: int
    min_leaf_share: float
    profit: Interval | None
    rules_profit: Interval | None
    profit_exact: bool
    method: str

    @property
    def features(self):
        """Every feature the rules name, in order of first use."""
        return tuple(dict.fromkeys(f for leaf in self.leaves for f in leaf.features))

    def to_frame(self):
        """One row per group.

        Returns
        -------
        pandas.DataFrame
            Columns ``rule``, ``n_customers``, ``share``, ``share_contacted``,
            ``mostly_contacted``, ``mean_uplift`` and ``profit`` (point estimates).
        """
        return pd.DataFrame(
            {
                "rule": [leaf.rule for leaf in self.leaves],
                "n_customers": [leaf.n_customers for leaf in self.leaves],
                "share": [leaf.share for leaf in self.leaves],
                "share_contacted": [leaf.share_contacted for leaf in self.leaves],
                "mostly_contacted": [leaf.mostly_contacted for leaf in self.leaves],
                "mean_uplift": [leaf.mean_uplift for leaf in self.leaves],
                "profit": [
                    None if leaf.profit is None else leaf.profit.estimate for leaf in self.leaves
                ],
            }
        )

    def to_dict(self):
        """Return the description as a JSON-ready dict (``row_leaf`` left out).

        Returns
        -------
        dict
        """
        return {
            "fitted_to": "the targeting decision (contacted or not)",
            "max_depth": self.max_depth,
            "min_leaf_share": self.min_leaf_share,
            "n_customers": self.n_customers,
            "n_contacted": self.n_contacted,
            "accuracy": self.accuracy,
            "baseline_accuracy": self.baseline_accuracy,
            "recall": self.recall,
            "features": list(self.features),
            "profit": None if self.profit is None else self.profit.to_dict(),
            "rules_profit": None if self.rules_profit is None else self.rules_profit.to_dict(),
            "profit_exact": self.profit_exact,
            "method": self.method,
            "leaves": _list(self.leaves),
        }

    def __repr__(self):
        rules = "; ".join(
            f"{leaf.rule}: {leaf.share_contacted:.0%} contacted" for leaf in self.leaves
        )
        return f"GroupDescription(accuracy={self.accuracy:.3f}, {rules})"


def _check(X, contacted, uplift, max_depth, min_leaf_share):
    from actionable._validation import (
        as_1d_float,
        check_binary,
        check_consistent_length,
        check_number,
    )

    contacted = check_binary(contacted, "contacted", meaning="1 = contacted, 0 = not")
    if isinstance(max_depth, bool) or max_depth not in (1, 2, 3):
        raise ValueError(_MSG_DEPTH.format(value=max_depth))
    check_number(min_leaf_share, "min_leaf_share", low=0, high=0.5, low_open=True)
    if uplift is not None:
        uplift = as_1d_float(uplift, "uplift")
    check_consistent_length(X=X, contacted=contacted, uplift=uplift)
    return contacted > 0.5, uplift


def _exact_profits(groups, y0, y1, cost_model):
    """Profit of contacting each set of rows, from both potential outcomes."""
    from actionable._validation import as_1d_float

    y0, y1 = as_1d_float(y0, "y0"), as_1d_float(y1, "y1")
    return [
        Interval.exact(
            cost_model.profit(
                float(rows.sum()), float((y1 - y0)[rows].sum()), float(y1[rows].sum())
            )
        )
        for rows in groups
    ]


def _estimated_profits(groups, y, treatment, cost_model, sample_weight, common):
    """Profit of contacting each set of rows, estimated on the randomized arms."""
    from actionable.economics import policy_profit

    result = policy_profit(
        y,
        np.asarray(treatment, dtype=np.float64),
        {str(i): rows.astype(np.float64) for i, rows in enumerate(groups)},
        cost_model=cost_model,
        control_label=0.0,
        sample_weight=sample_weight,
        **common,
    )
    n = groups[0].size
    return [result.interval(name).scaled(n) for name in result.names]


def _profits(groups, *, cost_model, y, treatment, y0, y1, sample_weight, common):
    """``(profits, exact)`` of contacting each set of rows, or ``(None, False)``."""
    if cost_model is None:
        return None, False
    if y0 is not None and y1 is not None:
        return _exact_profits(groups, y0, y1, cost_model), True
    if y is not None and treatment is not None:
        profits = _estimated_profits(groups, y, treatment, cost_model, sample_weight, common)
        return profits, False
    given = ", ".join(
        name
        for name, value in (("y", y), ("treatment", treatment), ("y0", y0), ("y1", y1))
        if value is not None
    )
    raise ValueError(_MSG_OUTCOMES.format(given=given or "no outcomes"))


def _tree_groups(X, contacted, *, max_depth, min_rows):
    """The groups of a tree fitted to the decision, most contacted first.

    One ``(conditions, features, rows, share contacted)`` per leaf, sibling leaves
    that make the same decision merged.
    """
    features = encode_features(X, contacted.astype(np.float64), min_count=min_rows)
    tree, matrix = fit_tree(features, contacted, max_depth=max_depth, min_samples_leaf=min_rows)
    in_node = tree.decision_path(matrix).tocsc()
    node_rows = [in_node[:, node].toarray().ravel() > 0 for node in range(in_node.shape[1])]
    node_share = np.array([contacted[rows].mean() for rows in node_rows])
    found = []
    for node, path in collapsed_leaves(tree, node_share):
        named = conditions_text(features, path)
        found.append((node, tuple(text for _, text in named), tuple(f for f, _ in named)))
    found.sort(key=lambda item: (-node_share[item[0]], -node_rows[item[0]].sum()))
    return [
        (conditions, names, node_rows[node], node_share[node]) for node, conditions, names in found
    ]


def _method(max_depth, min_leaf_share, *, computed, exact):
    """How the groups and their profits were found, in words."""
    how = "exact, from both potential outcomes" if exact else (
        "estimated from the randomized rows (economics.policy_profit), percentile "
        "bootstrap within arms"
    )  # fmt: skip
    return (
        f"a decision tree of depth {max_depth} (groups of at least "
        f"{min_leaf_share:.0%} of the rows) fitted to the decision, sibling groups with "
        "the same majority merged; profit of each group's contacted rows "
        + (how if computed else "not computed")
    )


def describe_targeted_group(
    X,
    contacted,
    *,
    uplift=None,
    y=None,
    treatment=None,
    y0=None,
    y1=None,
    cost_model=None,
    sample_weight=None,
    max_depth=DEFAULT_MAX_DEPTH,
    min_leaf_share=DEFAULT_MIN_LEAF_SHARE,
    confidence_level=0.95,
    n_bootstraps=DEFAULT_N_BOOTSTRAPS,
    random_state=None,
):
    """Describe who a targeting decision contacts, in a few rules over the features.

    A decision tree of depth ``max_depth`` is fitted to the decision (contacted or
    not) over the features, then read back as rules: one group per leaf, sibling
    leaves that make the same decision merged. Each group comes with its size, the
    share of it contacted, its mean predicted uplift and the profit of contacting its
    contacted rows, which add up to the profit of the whole decision. The tree only
    describes the decision; the decision itself stays the model's.

    The tree is fitted to the decision, which depends on the features only, never on
    the outcomes, so the profits of its groups are measured on the same rows without
    selection bias.

    Parameters
    ----------
    X : pandas.DataFrame or array-like of shape (n_samples, n_features)
        Features. Categorical columns (pandas categoricals, text, booleans) read as
        ``"contract is monthly"`` or ``"plan in {basic, standard}"``; their categories
        held by fewer than ``min_leaf_share`` of the rows are pooled as
        ``"(other values)"``. Missing values are allowed.
    contacted : array-like of shape (n_samples,)
        The decision: 1 for the rows contacted (e.g. the model's top k), 0 otherwise.
    uplift : array-like of shape (n_samples,), default=None
        Predicted uplift, averaged per group.
    y, treatment : array-like of shape (n_samples,), default=None
        Observed outcomes (1 = favourable) and randomized treatment (1 = treated): the
        profits are then estimated, with percentile bootstrap intervals
        (``actionable.economics.policy_profit``, resampling within arms).
    y0, y1 : array-like of shape (n_samples,), default=None
        Potential outcomes without and with contact, when known: exact profits.
    cost_model : CostModel, default=None
        The money; without it (or without outcomes) no profit is computed.
    sample_weight : array-like of shape (n_samples,), default=None
        Inverse propensity weights of a targeted campaign, for the estimated profits
        (sizes and shares count rows).
    max_depth : {1, 2, 3}, default=3
        Depth of the tree: at most ``2 ** max_depth`` groups.
    min_leaf_share : float, default=0.05
        Smallest group, as a share of the rows.
    confidence_level : float, default=0.95
        Coverage of the profit intervals.
    n_bootstraps : int, default=1000
        Bootstrap resamples of the profit intervals.
    random_state : int, numpy.random.Generator or None, default=None
        Seeds the bootstrap (the tree is deterministic).

    Returns
    -------
    GroupDescription
        The groups (most contacted first), each row's group, and how well the groups
        agree with the decision (``accuracy``, against ``baseline_accuracy``).

    See Also
    --------
    evaluate_paired : Describes the uplift model's contacted group on its held-out rows.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> X = pd.DataFrame({"tenure_months": [3, 5, 30, 40, 2, 50] * 50,
    ...                   "plan": pd.Categorical(["basic", "premium"] * 150)})
    >>> contacted = (X["tenure_months"] <= 5).to_numpy()
    >>> group = describe_targeted_group(X, contacted)
    >>> [(leaf.rule, leaf.share_contacted) for leaf in group.leaves]
    [('tenure_months <= 17', 1.0), ('tenure_months >= 18', 0.0)]
    >>> group.accuracy
    1.0
    """
    contacted, uplift = _check(X, contacted, uplift, max_depth, min_leaf_share)
    n = contacted.size
    min_rows = max(1, math.ceil(min_leaf_share * n))
    groups = _tree_groups(X, contacted, max_depth=max_depth, min_rows=min_rows)
    rows_of = [rows for _, _, rows, _ in groups]
    mostly = [bool(share >= 0.5) for _, _, _, share in groups]
    row_leaf = np.empty(n, dtype=np.int64)
    for index, rows in enumerate(rows_of):
        row_leaf[rows] = index
    described = np.isin(row_leaf, np.flatnonzero(mostly))
    common = {
        "n_bootstraps": n_bootstraps,
        "confidence_level": confidence_level,
        "random_state": random_state,
    }
    sets = [contacted & rows for rows in rows_of] + [contacted, described]
    profits, exact = _profits(
        sets, cost_model=cost_model, y=y, treatment=treatment, y0=y0, y1=y1,
        sample_weight=sample_weight, common=common,
    )  # fmt: skip
    leaves = tuple(
        GroupLeaf(
            conditions=conditions,
            features=names,
            n_customers=int(rows.sum()),
            share=float(rows.mean()),
            n_contacted=int((contacted & rows).sum()),
            share_contacted=float(share_contacted),
            mostly_contacted=mostly[index],
            mean_uplift=None if uplift is None else float(uplift[rows].mean()),
            profit=None if profits is None else profits[index],
        )
        for index, (conditions, names, rows, share_contacted) in enumerate(groups)
    )
    share = float(contacted.mean())
    return GroupDescription(
        leaves=leaves,
        row_leaf=row_leaf,
        n_customers=int(n),
        n_contacted=int(contacted.sum()),
        accuracy=float(np.mean(described == contacted)),
        baseline_accuracy=max(share, 1.0 - share),
        recall=float(described[contacted].mean()) if contacted.any() else None,
        max_depth=int(max_depth),
        min_leaf_share=float(min_leaf_share),
        profit=None if profits is None else profits[-2],
        rules_profit=None if profits is None else profits[-1],
        profit_exact=exact,
        method=_method(max_depth, min_leaf_share, computed=profits is not None, exact=exact),
    )
