"""``ProfitCurveDisplay``: profit of contacting the top k, with random, oracle and capacity."""

import numpy as np

from actionable.economics._profit import profit_curve, profit_curve_ci, profit_curve_from_truth
from actionable.economics._targeting import best_targeting, best_targeting_from_truth
from actionable.metrics._plot import CurveDisplayMixin

_MSG_X_AXIS = "x_axis must be 'count' or 'fraction'; got {value!r}."
_MSG_TRUTH = "truth must be a pair (y0, y1) of potential outcomes; got {value}."
_MSG_NO_DATA = "y_true and treatment are required unless truth=(y0, y1) is given."


def _compact_amount(value, _position=None):
    """Tick label such as ``-1.2M``, ``350k`` or ``75``."""
    magnitude = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= size:
            return f"{value / size:,.3g}{suffix}"
    return f"{value:,.3g}"


def _oracle_score(y0, y1, cost_model):
    """Each person's exact profit if contacted, up to the constant cost per contact."""
    y0 = np.asarray(y0, dtype=np.float64)
    y1 = np.asarray(y1, dtype=np.float64)
    paid = y1 if cost_model.incentive_on_success else 0.0
    return cost_model.outcome_value * (y1 - y0) - cost_model.incentive_cost * paid


class ProfitCurveDisplay(CurveDisplayMixin):
    """Profit curve visualization: money earned by contacting the top k of a score.

    Build it with ``from_predictions`` or ``from_estimator``; the constructor
    only stores precomputed numbers, so everything drawn is available without
    matplotlib. Plot several policies on one axis by calling ``plot`` again
    with ``ax=display.ax_``.

    Parameters
    ----------
    n_targeted : ndarray of shape (n_points,)
        Number of people contacted; starts at 0.
    profit : ndarray of shape (n_points,)
        Profit of contacting them; starts at 0.
    n_total : float, default=None
        Number of people scored; defaults to ``n_targeted[-1]``.
    name : str, default=None
        Name of the policy, used in the legend.
    capacity : float, default=None
        Maximum number of contacts, marked by a vertical line.
    oracle_n_targeted, oracle_profit : ndarray, default=None
        Curve of the oracle policy (known only with ground truth).
    profit_low, profit_high : ndarray of shape (n_points,), default=None
        Pointwise bootstrap interval of ``profit``.
    best : TargetingResult, default=None
        Most profitable choice, marked on the curve.
    currency : str, default="$"
        Currency symbol used in labels.
    exact : bool, default=False
        Whether the numbers are exact (ground truth) rather than estimated.

    Attributes
    ----------
    random_n_targeted, random_profit : ndarray of shape (2,)
        End points of the random policy's straight line: contacting k people at
        random earns ``k / n_total`` times the profit of contacting everyone.
    line_ : matplotlib Line2D
        The profit curve.
    random_line_ : matplotlib Line2D or None
        The random policy.
    oracle_line_ : matplotlib Line2D or None
        The oracle policy.
    capacity_line_ : matplotlib Line2D or None
        The vertical capacity line.
    best_marker_ : matplotlib Line2D or None
        The marker of the best choice.
    interval_ : matplotlib PolyCollection or None
        The shaded interval.
    ax_ : matplotlib Axes
        Axes with the plot.
    figure_ : matplotlib Figure
        Figure containing the plot.

    See Also
    --------
    profit_curve : The numbers behind the curve.

    Examples
    --------
    >>> from actionable.economics import CostModel, ProfitCurveDisplay
    >>> display = ProfitCurveDisplay.from_predictions(
    ...     [1, 0, 1, 1], [0.9, 0.8, 0.2, 0.1], [1, 0, 1, 0],
    ...     cost_model=CostModel(100.0, 10.0, capacity=2), name="uplift", plot=False)
    >>> display.profit, display.capacity
    (array([  0.,  90., 180., 270., 160.]), 2.0)
    """

    def __init__(
        self,
        *,
        n_targeted,
        profit,
        n_total=None,
        name=None,
        capacity=None,
        oracle_n_targeted=None,
        oracle_profit=None,
        profit_low=None,
        profit_high=None,
        best=None,
        currency="$",
        exact=False,
    ):
        self.n_targeted = np.asarray(n_targeted)
        self.profit = np.asarray(profit, dtype=np.float64)
        self.n_total = float(self.n_targeted[-1]) if n_total is None else float(n_total)
        self.name = name
        self.capacity = capacity
        self.oracle_n_targeted = oracle_n_targeted
        self.oracle_profit = oracle_profit
        self.profit_low = profit_low
        self.profit_high = profit_high
        self.best = best
        self.currency = currency
        self.exact = exact
        self.random_n_targeted = np.array([0.0, self.n_total])
        self.random_profit = np.array([0.0, float(self.profit[-1])])

    def _x(self, values, x_axis):
        values = np.asarray(values, dtype=np.float64)
        return values / self.n_total if x_axis == "fraction" else values

    def plot(
        self,
        ax=None,
        *,
        name=None,
        x_axis="count",
        plot_random=True,
        plot_oracle=True,
        mark_capacity=True,
        mark_best=True,
        plot_interval=True,
        curve_kwargs=None,
        random_kwargs=None,
        oracle_kwargs=None,
        capacity_kwargs=None,
    ):
        """Plot the profit curve and, optionally, random, oracle, capacity and best point.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created if ``None``.
        name : str, default=None
            Legend name of the curve; defaults to ``self.name``.
        x_axis : {"count", "fraction"}, default="count"
            Number or fraction of people contacted on the horizontal axis.
        plot_random : bool, default=True
            Draw the random policy (turn off when adding a second curve).
        plot_oracle : bool, default=True
            Draw the oracle curve if it is known.
        mark_capacity : bool, default=True
            Draw a vertical line at the capacity if there is one.
        mark_best : bool, default=True
            Mark the most profitable choice if it is known.
        plot_interval : bool, default=True
            Shade the bootstrap interval if it is known.
        curve_kwargs, random_kwargs, oracle_kwargs, capacity_kwargs : dict, default=None
            Keyword arguments passed to matplotlib for each element.

        Returns
        -------
        ProfitCurveDisplay
            This object, with the matplotlib artists stored as attributes.
        """
        if x_axis not in ("count", "fraction"):
            raise ValueError(_MSG_X_AXIS.format(value=x_axis))
        ax = self._axes(ax)
        label = self._label(name, "policy")
        if self.best is not None:
            label = f"{label} (best {self.currency}{self.best.profit:,.0f})"
        x = self._x(self.n_targeted, x_axis)
        (self.line_,) = ax.plot(
            x, self.profit, **{"label": label, "drawstyle": "default", **(curve_kwargs or {})}
        )
        color = self.line_.get_color()
        self.interval_ = None
        if plot_interval and self.profit_low is not None and self.profit_high is not None:
            self.interval_ = ax.fill_between(
                x, self.profit_low, self.profit_high, color=color, alpha=0.15, linewidth=0
            )
        self.best_marker_ = None
        if mark_best and self.best is not None:
            (self.best_marker_,) = ax.plot(
                self._x([self.best.n_targeted], x_axis),
                [self.best.profit],
                marker="o",
                linestyle="none",
                color=color,
            )
        self._plot_references(
            ax,
            x_axis,
            random_kwargs=(random_kwargs or {}) if plot_random else None,
            oracle_kwargs=(oracle_kwargs or {}) if plot_oracle else None,
            capacity_kwargs=(capacity_kwargs or {}) if mark_capacity else None,
        )
        ax.axhline(0.0, color="lightgrey", linewidth=0.8, zorder=0)
        ax.yaxis.set_major_formatter(_compact_amount)
        return self._finish_plot(
            ax,
            xlabel="Fraction contacted" if x_axis == "fraction" else "Number contacted",
            ylabel=f"{'Profit' if self.exact else 'Expected profit'} ({self.currency})",
        )

    def _plot_references(self, ax, x_axis, *, random_kwargs, oracle_kwargs, capacity_kwargs):
        """Draw the random policy, the oracle and the capacity; ``None`` kwargs skip one.

        Each drawn reference's artist is kept (``random_line_``, ``oracle_line_``,
        ``capacity_line_``), ``None`` when skipped or unknown.
        """
        self.random_line_ = self.oracle_line_ = self.capacity_line_ = None
        if random_kwargs is not None:
            (self.random_line_,) = ax.plot(
                self._x(self.random_n_targeted, x_axis),
                self.random_profit,
                **{"label": "random", "color": "grey", "linestyle": "--", **random_kwargs},
            )
        if oracle_kwargs is not None and self.oracle_profit is not None:
            (self.oracle_line_,) = ax.plot(
                self._x(self.oracle_n_targeted, x_axis),
                self.oracle_profit,
                **{"label": "oracle", "color": "black", "linestyle": ":", **oracle_kwargs},
            )
        if capacity_kwargs is not None and self.capacity is not None:
            self.capacity_line_ = ax.axvline(
                self._x(self.capacity, x_axis),
                **{
                    "label": f"capacity ({self.capacity:,.0f})",
                    "color": "tab:red",
                    "linestyle": "-.",
                    "linewidth": 1,
                    **capacity_kwargs,
                },
            )

    @classmethod
    def from_predictions(
        cls,
        y_true,
        score,
        treatment,
        *,
        cost_model,
        sample_weight=None,
        truth=None,
        oracle_score=None,
        min_arm_size=30,
        n_bootstraps=None,
        confidence_level=0.95,
        random_state=None,
        name=None,
        ax=None,
        currency="$",
        plot=True,
        **plot_kwargs,
    ):
        """Build (and plot) the profit curve of a targeting score.

        Every number comes from the public functions: ``profit_curve`` (or
        ``profit_curve_ci`` with ``n_bootstraps``) and ``best_targeting`` on
        randomized data; ``profit_curve_from_truth`` and
        ``best_targeting_from_truth`` with ``truth``.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or None
            Observed outcomes: 1 = favourable, or amounts (spend, revenue) valued
            per unit. May be ``None`` when ``truth`` is given.
        score : array-like of shape (n_samples,)
            Targeting score; higher means contact first.
        treatment : array-like of shape (n_samples,) or None
            1 for treated, 0 for control. May be ``None`` when ``truth`` is given.
        cost_model : CostModel
            Economics; its capacity is marked on the plot.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.
        truth : tuple of array-like (y0, y1), default=None
            Potential outcomes. When given, every curve is exact
            (``profit_curve_from_truth``) and the oracle curve is added.
        oracle_score : array-like of shape (n_samples,), default=None
            Ranking of the oracle (e.g. the true expected effect of a synthetic
            dataset). By default, with ``truth``, the oracle ranks people by
            their exact profit if contacted, which no model can reach when
            outcomes are noisy.
        min_arm_size : int, default=30
            Fewest treated and control rows the marked best choice must contact
            (randomized estimate only; see ``best_targeting``).
        n_bootstraps : int, default=None
            Number of bootstrap replicates for a shaded interval (randomized
            estimate only); ``None`` draws no interval.
        confidence_level : float, default=0.95
            Coverage of the interval.
        random_state : int, numpy.random.Generator or None, default=None
            Seed of the resampling.
        name : str, default=None
            Legend name of the curve.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        currency : str, default="$"
            Currency symbol used in labels.
        plot : bool, default=True
            Whether to draw; ``False`` only computes (no matplotlib needed).
        **plot_kwargs
            Passed to ``plot``.

        Returns
        -------
        ProfitCurveDisplay
        """
        if truth is not None:
            display = cls._from_truth(
                score,
                truth,
                cost_model=cost_model,
                sample_weight=sample_weight,
                oracle_score=oracle_score,
            )
        else:
            display = cls._from_randomized(
                y_true,
                score,
                treatment,
                cost_model=cost_model,
                sample_weight=sample_weight,
                min_arm_size=min_arm_size,
                n_bootstraps=n_bootstraps,
                confidence_level=confidence_level,
                random_state=random_state,
            )
        display.name = name
        display.currency = currency
        if plot:
            display.plot(ax=ax, **plot_kwargs)
        return display

    @classmethod
    def _from_truth(cls, score, truth, *, cost_model, sample_weight, oracle_score):
        """Exact curves from potential outcomes: the score's, the oracle's, the best choice."""
        if not isinstance(truth, (tuple, list)) or len(truth) != 2:
            raise ValueError(_MSG_TRUTH.format(value=type(truth).__name__))
        y0, y1 = truth
        n_targeted, profit = profit_curve_from_truth(
            y0, y1, score, cost_model=cost_model, sample_weight=sample_weight
        )
        if oracle_score is None:
            oracle_score = _oracle_score(y0, y1, cost_model)
        oracle_n_targeted, oracle_profit = profit_curve_from_truth(
            y0, y1, oracle_score, cost_model=cost_model, sample_weight=sample_weight
        )
        best = best_targeting_from_truth(
            y0, y1, score, cost_model=cost_model, sample_weight=sample_weight
        )
        return cls(
            n_targeted=np.asarray(n_targeted, dtype=np.float64),
            profit=profit,
            capacity=cost_model.capacity_count(best.n_total),
            oracle_n_targeted=np.asarray(oracle_n_targeted, dtype=np.float64),
            oracle_profit=oracle_profit,
            best=best,
            exact=True,
        )

    @classmethod
    def _from_randomized(
        cls,
        y_true,
        score,
        treatment,
        *,
        cost_model,
        sample_weight,
        min_arm_size,
        n_bootstraps,
        confidence_level,
        random_state,
    ):
        """Estimated curve (with a pointwise interval if asked) and best choice."""
        if y_true is None or treatment is None:
            raise ValueError(_MSG_NO_DATA)
        low = high = None
        if n_bootstraps:
            n_targeted, band = profit_curve_ci(
                y_true,
                score,
                treatment,
                cost_model=cost_model,
                sample_weight=sample_weight,
                confidence_level=confidence_level,
                n_bootstraps=n_bootstraps,
                random_state=random_state,
            )
            profit, low, high = band.estimate, band.low, band.high
        else:
            n_targeted, profit = profit_curve(
                y_true, score, treatment, cost_model=cost_model, sample_weight=sample_weight
            )
        best = best_targeting(
            y_true,
            score,
            treatment,
            cost_model=cost_model,
            sample_weight=sample_weight,
            min_arm_size=min_arm_size,
            n_bootstraps=None,
        )
        return cls(
            n_targeted=np.asarray(n_targeted, dtype=np.float64),
            profit=profit,
            n_total=best.n_total,
            capacity=cost_model.capacity_count(best.n_total),
            profit_low=low,
            profit_high=high,
            best=best,
        )

    @classmethod
    def from_estimator(
        cls, estimator, X, y, treatment, *, cost_model, name=None, ax=None, **kwargs
    ):
        """Build (and plot) the profit curve of a fitted model's predictions on ``X``.

        Parameters
        ----------
        estimator : object
            Fitted model: an uplift model (``predict(X)``, the predicted uplift) or a
            naive outcome model with ``predict_risk(X)`` (its risk is the ranking).
        X : array-like of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,) or None
            Observed outcomes: 1 = favourable, or amounts (spend, revenue) valued per unit.
        treatment : array-like of shape (n_samples,) or None
            1 for treated, 0 for control.
        cost_model : CostModel
            Economics.
        name : str, default=None
            Legend name; defaults to the estimator's class name.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **kwargs
            Passed to ``from_predictions``.

        Returns
        -------
        ProfitCurveDisplay
        """
        score, name = cls._scores_and_name(estimator, X, name)
        return cls.from_predictions(
            y, score, treatment, cost_model=cost_model, name=name, ax=ax, **kwargs
        )
