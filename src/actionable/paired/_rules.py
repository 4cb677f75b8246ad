"""A shallow decision tree over the features, read back as rules in plain words.

Categorical features (pandas categoricals, text, booleans) are encoded as one number
per category: the categories ranked by the share of the target among their rows. A
threshold on that rank splits the categories into two sets, and for a binary target
the best such split is the best split into any two sets (Breiman et al., 1984,
section 9.4), so the tree needs no one-hot columns and reads "plan in {basic,
standard}". Numeric features keep their values; missing values go where the tree
sends them and are named in the rule only when the feature has some.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

_MISSING = "missing"
_RARE = "(other values)"
_MAX_LISTED = 4  # categories listed in a rule before it says "... (n values)"


@dataclass(frozen=True)
class _Feature:
    """One column as the tree sees it, and what it needs to read a split back."""

    name: str
    values: np.ndarray
    categories: tuple | None = None  # in rank order; None for a numeric feature
    order: tuple = ()  # the categories in the data's own order, for reading
    integer: bool = False
    has_missing: bool = False
    low: float = -math.inf
    high: float = math.inf


def feature_names(X, n_features):
    """Column names of ``X``: its own, else ``x0``, ``x1``, ..."""
    columns = getattr(X, "columns", None)
    if columns is not None:
        return [str(c) for c in columns]
    return [f"x{i}" for i in range(n_features)]


def _is_categorical(series):
    dtype = series.dtype
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(dtype)
        or not pd.api.types.is_numeric_dtype(dtype)
    )


def _categorical(name, series, target, min_count):
    labels = series.astype(object).where(series.notna(), _MISSING).astype(str).to_numpy()
    # a category smaller than the smallest group cannot be one: pool the rare ones, so
    # that an identifier or a free-text column cannot sort the rows one by one
    values, counts = np.unique(labels, return_counts=True)
    rare = values[counts < min_count]
    if rare.size:
        labels = np.where(np.isin(labels, rare), _RARE, labels)
    if isinstance(series.dtype, pd.CategoricalDtype):
        listed = [str(c) for c in series.cat.categories]
    else:
        listed = sorted(set(labels) - {_MISSING})
    seen = set(labels)
    present = [c for c in listed if c in seen] + [c for c in (_MISSING, _RARE) if c in seen]
    share = pd.Series(target).groupby(labels).mean()
    # rank by the target's share; ties keep the categories' own order
    ranked = sorted(present, key=lambda c: (share[c], present.index(c)))
    rank = {c: float(i) for i, c in enumerate(ranked)}
    return _Feature(
        name,
        np.array([rank[v] for v in labels]),
        categories=tuple(ranked),
        order=tuple(present),
    )


def _numeric(name, series):
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, copy=True)
    values[np.isinf(values)] = np.nan
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return _Feature(name, values, has_missing=True)
    return _Feature(
        name,
        values,
        integer=bool(np.all(finite == np.round(finite))),
        has_missing=bool(finite.size < values.size),
        low=float(finite.min()),
        high=float(finite.max()),
    )


def encode_features(X, target, min_count=1):
    """The columns of ``X`` as numbers a tree can split, with what it needs to read them back.

    Parameters
    ----------
    X : pandas.DataFrame or array-like of shape (n_samples, n_features)
    target : ndarray of shape (n_samples,)
        The 0/1 target, which orders the categories of categorical features.
    min_count : int, default=1
        Categories with fewer rows are pooled into one, ``"(other values)"``.

    Returns
    -------
    list of _Feature
    """
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
    names = feature_names(X, frame.shape[1])
    features = []
    for name, (_, series) in zip(names, frame.items(), strict=True):
        if _is_categorical(series):
            features.append(_categorical(name, series, target, min_count))
        else:
            features.append(_numeric(name, series))
    return features


def _number(value):
    """A threshold in as few digits as tell it apart: ``63.5``, ``0.0345``, ``1,234``."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _numeric_text(feature, low, high, missing):
    """``tenure_months <= 6``, ``discount_history = 0``, ``2 <= addons <= 4``."""
    name = feature.name
    if feature.integer:
        first = None if low == -math.inf else math.floor(low) + 1
        last = None if high == math.inf else math.floor(high)
        first = None if first is not None and first <= feature.low else first
        last = None if last is not None and last >= feature.high else last
        if first is not None and last is not None:
            text = f"{name} = {first}" if first == last else f"{first} <= {name} <= {last}"
        elif first is not None:
            text = f"{name} = {first}" if first == feature.high else f"{name} >= {first}"
        elif last is not None:
            text = f"{name} = {last}" if last == feature.low else f"{name} <= {last}"
        else:
            text = None
    else:
        if low != -math.inf and high != math.inf:
            text = f"{_number(low)} < {name} <= {_number(high)}"
        elif low != -math.inf:
            text = f"{name} > {_number(low)}"
        elif high != math.inf:
            text = f"{name} <= {_number(high)}"
        else:
            text = None
    if not feature.has_missing:
        return text
    if text is None:
        return None if missing else f"{name} is known"
    return f"{text} (or missing)" if missing else text


def _categorical_text(feature, allowed):
    """``contract is monthly``, ``plan in {basic, standard}``, ``region is not north``."""
    name = feature.name
    if len(allowed) == len(feature.categories):
        return None
    # list them in the data's order, not the rank the tree used
    own_order = sorted(allowed, key=_original_order(feature))
    others = sorted(set(feature.categories) - set(allowed), key=_original_order(feature))
    if len(own_order) == 1:
        return f"{name} is {own_order[0]}"
    if len(others) == 1 and len(own_order) > 2:
        return f"{name} is not {others[0]}"
    if len(own_order) <= _MAX_LISTED:
        return f"{name} in {{{', '.join(own_order)}}}"
    if len(others) <= _MAX_LISTED:
        return f"{name} not in {{{', '.join(others)}}}"
    shown = ", ".join(own_order[:_MAX_LISTED])
    return f"{name} in {{{shown}, ... ({len(own_order)} values)}}"


def _original_order(feature):
    """Sort key: a category's place in the data (its rank order is the tree's business)."""
    return {c: i for i, c in enumerate(feature.order)}.__getitem__


def conditions_text(features, path):
    """Plain-words conditions of a root-to-leaf path, one per feature, in order of use.

    Parameters
    ----------
    features : list of _Feature
    path : list of (int, bool, float, bool)
        ``(feature, goes_left, threshold, missing_goes_left)`` of each split on the path.

    Returns
    -------
    list of (str, str)
        ``(feature name, condition)``; features whose splits leave every value
        possible are left out.
    """
    bounds = {}
    for index, left, threshold, missing_left in path:
        feature = features[index]
        state = bounds.setdefault(
            index,
            {"low": -math.inf, "high": math.inf, "missing": True,
             "allowed": set(feature.categories or ())},
        )  # fmt: skip
        if feature.categories is not None:
            kept = {c for i, c in enumerate(feature.categories) if (i <= threshold) == left}
            state["allowed"] &= kept
        elif left:
            state["high"] = min(state["high"], threshold)
        else:
            state["low"] = max(state["low"], threshold)
        state["missing"] &= missing_left == left
    texts = []
    for index, state in bounds.items():
        feature = features[index]
        if feature.categories is not None:
            text = _categorical_text(feature, state["allowed"])
        else:
            text = _numeric_text(feature, state["low"], state["high"], state["missing"])
        if text is not None:
            texts.append((feature.name, text))
    return texts


def fit_tree(features, target, *, max_depth, min_samples_leaf):
    """A ``DecisionTreeClassifier`` of ``target`` on the encoded features (deterministic)."""
    from sklearn.tree import DecisionTreeClassifier

    matrix = np.column_stack([f.values for f in features])
    tree = DecisionTreeClassifier(
        max_depth=max_depth, min_samples_leaf=min_samples_leaf, random_state=0
    )
    return tree.fit(matrix, target), matrix


def collapsed_leaves(tree, target_share):
    """Leaves of ``tree`` after merging sibling leaves that make the same decision.

    Two sibling leaves whose majority (share of the target >= 1/2) is the same are
    merged into their parent, bottom-up: the description loses no accuracy and gains
    readability.

    Parameters
    ----------
    tree : fitted DecisionTreeClassifier
    target_share : ndarray of shape (n_nodes,)
        Share of the target among each node's rows.

    Returns
    -------
    list of (int, list)
        ``(node, path)`` of each leaf, with ``path`` as in :func:`conditions_text`.
    """
    structure = tree.tree_
    missing_left = getattr(structure, "missing_go_to_left", np.zeros(structure.node_count))

    def walk(node, path):
        left, right = structure.children_left[node], structure.children_right[node]
        if left == -1:
            return [(node, path)]
        split = (int(structure.feature[node]), float(structure.threshold[node]))
        to_left = bool(missing_left[node])
        leaves = walk(left, [*path, (split[0], True, split[1], to_left)]) + walk(
            right, [*path, (split[0], False, split[1], to_left)]
        )
        decisions = {bool(target_share[leaf] >= 0.5) for leaf, _ in leaves}
        if len(leaves) == 2 and len(decisions) == 1:
            return [(node, path)]
        return leaves

    return walk(0, [])
