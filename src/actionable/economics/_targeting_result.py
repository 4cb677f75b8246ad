"""The result of an optimal targeting: the chosen point, its alternatives and intervals."""

import dataclasses
import math

from actionable._interval import Interval
from actionable.economics._cost_model import CostModel


@dataclasses.dataclass(frozen=True)
class TargetingPoint:
    """One targeting choice: contact the ``n_targeted`` people ranked first.

    Parameters
    ----------
    n_targeted : float
        Number of people contacted (a total weight when weighted).
    fraction : float
        ``n_targeted`` over the number of people scored.
    threshold : float
        Lowest score contacted: contact everyone scoring above it, and people
        scoring exactly ``threshold`` until ``n_targeted`` is reached
        (``partial`` tells whether only some of them are). ``inf`` when nobody
        is contacted; ``nan`` for a policy without a score (random).
    profit : float
        Profit relative to contacting nobody.
    spend : float
        Total contact and incentive costs.
    partial : bool
        Whether only part of the people tied at ``threshold`` are contacted
        (the choice stops inside a group of tied scores, at a capacity or
        budget limit).

    Examples
    --------
    >>> from actionable.economics import TargetingPoint
    >>> TargetingPoint(10.0, 0.1, 0.42, 250.0, 50.0, False).to_dict()["threshold"]
    0.42
    """

    n_targeted: float
    fraction: float
    threshold: float
    profit: float
    spend: float
    partial: bool

    def to_dict(self):
        """Return the fields as a JSON-serializable dict (non-finite thresholds become None).

        Returns
        -------
        dict
            Keys ``n_targeted``, ``fraction``, ``threshold``, ``profit``,
            ``spend`` and ``partial``.
        """
        data = dataclasses.asdict(self)
        if not math.isfinite(data["threshold"]):
            data["threshold"] = None
        return data


@dataclasses.dataclass(frozen=True)
class TargetingResult:
    """The profit-maximizing targeting choice of a score, with its alternatives.

    Returned by ``best_targeting`` and ``best_targeting_from_truth``.

    Parameters
    ----------
    best : TargetingPoint
        Most profitable choice respecting both capacity and budget.
    unconstrained : TargetingPoint
        Most profitable choice ignoring capacity and budget.
    capacity_best : TargetingPoint or None
        Most profitable choice respecting capacity only (``None`` without capacity).
    budget_best : TargetingPoint or None
        Most profitable choice respecting budget only (``None`` without budget).
    at_capacity : TargetingPoint or None
        Contacting exactly the capacity (everyone if the capacity exceeds the
        people scored); ``None`` without capacity.
    n_total : float
        Number of people scored.
    cost_model : CostModel
        Economics used.
    exact : bool
        True when computed from potential outcomes, False when estimated from
        randomized data.
    profit_interval : Interval or None
        Bootstrap interval of ``best.profit`` (``None`` when exact or not bootstrapped).
    profit_at_capacity_interval : Interval or None
        Bootstrap interval of ``at_capacity.profit``.
    confidence_level : float or None
        Coverage of the intervals.

    Examples
    --------
    >>> from actionable.economics import CostModel, best_targeting_from_truth
    >>> result = best_targeting_from_truth([0, 1, 0, 1], [1, 1, 0, 0], [4, 3, 2, 1],
    ...                                    cost_model=CostModel(100.0, 1.0, capacity=1))
    >>> result.n_targeted, result.profit, result.profit_at_capacity
    (1.0, 99.0, 99.0)
    """

    best: TargetingPoint
    unconstrained: TargetingPoint
    capacity_best: TargetingPoint | None
    budget_best: TargetingPoint | None
    at_capacity: TargetingPoint | None
    n_total: float
    cost_model: CostModel
    exact: bool
    profit_interval: Interval | None = None
    profit_at_capacity_interval: Interval | None = None
    confidence_level: float | None = None

    @property
    def n_targeted(self):
        """Number of people to contact (``best.n_targeted``)."""
        return self.best.n_targeted

    @property
    def fraction(self):
        """Fraction of the people scored to contact (``best.fraction``)."""
        return self.best.fraction

    @property
    def threshold(self):
        """Lowest score to contact (``best.threshold``)."""
        return self.best.threshold

    @property
    def profit(self):
        """Profit of the best choice (``best.profit``)."""
        return self.best.profit

    @property
    def profit_at_capacity(self):
        """Profit of contacting exactly the capacity; ``None`` without capacity."""
        return None if self.at_capacity is None else self.at_capacity.profit

    def to_dict(self):
        """Return a JSON-serializable dict.

        Returns
        -------
        dict
            Headline keys ``n_targeted``, ``fraction``, ``threshold``, ``profit``,
            ``profit_low``, ``profit_high``, ``profit_at_capacity``, then the
            nested choices and the cost model.
        """

        def point(value):
            return None if value is None else value.to_dict()

        def bound(interval, name):
            return None if interval is None else float(getattr(interval, name))

        return {
            "n_targeted": self.n_targeted,
            "fraction": self.fraction,
            "threshold": self.best.to_dict()["threshold"],
            "profit": self.profit,
            "profit_low": bound(self.profit_interval, "low"),
            "profit_high": bound(self.profit_interval, "high"),
            "profit_at_capacity": self.profit_at_capacity,
            "profit_at_capacity_low": bound(self.profit_at_capacity_interval, "low"),
            "profit_at_capacity_high": bound(self.profit_at_capacity_interval, "high"),
            "confidence_level": self.confidence_level,
            "exact": self.exact,
            "n_total": self.n_total,
            "best": point(self.best),
            "unconstrained": point(self.unconstrained),
            "capacity_best": point(self.capacity_best),
            "budget_best": point(self.budget_best),
            "at_capacity": point(self.at_capacity),
            "cost_model": self.cost_model.to_dict(),
        }
