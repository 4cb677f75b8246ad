"""``LiftupCurveDisplay``: the liftup curve of a ranking, in the scikit-learn Display pattern."""

from actionable.economics._liftup import liftup_curve
from actionable.metrics._plot import CurveDisplayMixin

__all__ = ["LiftupCurveDisplay"]


class LiftupCurveDisplay(CurveDisplayMixin):
    """Liftup curve visualization.

    Build it with :meth:`from_predictions` or :meth:`from_estimator`, which
    compute the curve with :func:`liftup_curve` and plot it. Every number on the
    plot is kept on the object (``fraction``, ``liftup``), so it is available
    without matplotlib. Call :meth:`plot` again with ``ax=display.ax_`` to draw
    several models on one axis.

    Parameters
    ----------
    fraction : ndarray of shape (n_points,)
        Fraction of the samples targeted.
    liftup : ndarray of shape (n_points,)
        Uplift of the targeted group divided by the overall uplift.
    name : str, default=None
        Name of the model, used as the line label.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The liftup curve.
    random_line_ : matplotlib Line2D or None
        The random-targeting reference (liftup 1), if plotted.
    ax_ : matplotlib Axes
        Axes with the curve.
    figure_ : matplotlib Figure
        Figure containing the curve.

    See Also
    --------
    liftup_curve : Compute the curve.

    Examples
    --------
    >>> import numpy as np
    >>> display = LiftupCurveDisplay(fraction=np.array([0.5, 1.0]),
    ...                              liftup=np.array([1.8, 1.0]), name="uplift model")
    >>> float(display.liftup.max())
    1.8
    """

    def __init__(self, *, fraction, liftup, name=None):
        self.fraction = fraction
        self.liftup = liftup
        self.name = name

    def plot(self, ax=None, *, name=None, plot_random=True, curve_kwargs=None, random_kwargs=None):
        """Plot the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when ``None``.
        name : str, default=None
            Line label; defaults to the ``name`` given at construction.
        plot_random : bool, default=True
            Whether to draw random targeting (liftup 1 at every fraction).
        curve_kwargs : dict, default=None
            Keyword arguments passed to ``ax.plot`` for the curve.
        random_kwargs : dict, default=None
            Keyword arguments passed to ``ax.plot`` for the random line.

        Returns
        -------
        LiftupCurveDisplay
            ``self``, with ``line_``, ``random_line_``, ``ax_`` and ``figure_`` set.

        See Also
        --------
        LiftupCurveDisplay.from_predictions : Compute the curve and plot it.

        Examples
        --------
        >>> import numpy as np
        >>> display = LiftupCurveDisplay(fraction=np.array([0.5, 1.0]),
        ...                              liftup=np.array([1.8, 1.0]), name="model A")
        >>> display.plot().line_.get_label()
        'model A'
        """
        ax = self._axes(ax)
        line_kwargs = {"label": self._label(name, "model"), "drawstyle": "steps-post"}
        (self.line_,) = ax.plot(
            self.fraction, self.liftup, **{**line_kwargs, **(curve_kwargs or {})}
        )
        self.random_line_ = None
        if plot_random:
            reference = {"label": "random", "linestyle": "--", "color": "grey"}
            reference.update(random_kwargs or {})
            (self.random_line_,) = ax.plot([0.0, 1.0], [1.0, 1.0], **reference)
        ax.set_xlim(0.0, 1.0)
        return self._finish_plot(
            ax,
            xlabel="Fraction targeted",
            ylabel="Liftup (uplift of the targeted / overall uplift)",
            legend_loc="upper right",
        )

    @classmethod
    def from_predictions(
        cls, y_true, uplift, treatment, *, sample_weight=None, name=None, ax=None, **plot_kwargs
    ):
        """Compute and plot the liftup curve of given scores.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Observed outcomes, 1 = favourable.
        uplift : array-like of shape (n_samples,)
            Targeting score; higher means target first.
        treatment : array-like of shape (n_samples,)
            1 for treated, 0 for control.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.
        name : str, default=None
            Line label.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **plot_kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        LiftupCurveDisplay
            The display, with the curve drawn.

        See Also
        --------
        liftup_curve : The numbers behind the plot.

        Examples
        --------
        >>> display = LiftupCurveDisplay.from_predictions(
        ...     [1, 0, 1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 0, 1, 0, 1, 0],
        ...     name="uplift model")
        >>> display.liftup
        array([3., 3., 3., 2., 1.])
        >>> display.ax_.get_xlabel()
        'Fraction targeted'
        """
        fraction, liftup = liftup_curve(y_true, uplift, treatment, sample_weight=sample_weight)
        display = cls(fraction=fraction, liftup=liftup, name=name)
        return display.plot(ax=ax, **plot_kwargs)

    @classmethod
    def from_estimator(
        cls, estimator, X, y, treatment, *, sample_weight=None, name=None, ax=None, **plot_kwargs
    ):
        """Compute and plot the liftup curve of a fitted uplift model.

        Parameters
        ----------
        estimator : fitted uplift model
            Its ``predict(X)`` returns the targeting score (the predicted uplift); a
            naive outcome model with ``predict_risk(X)`` is ranked by its risk.
        X : array-like of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Observed outcomes, 1 = favourable.
        treatment : array-like of shape (n_samples,)
            1 for treated, 0 for control.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.
        name : str, default=None
            Line label; defaults to the estimator's class name.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **plot_kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        LiftupCurveDisplay
            The display, with the curve drawn.

        See Also
        --------
        LiftupCurveDisplay.from_predictions : The same from scores already computed.

        Examples
        --------
        >>> import numpy as np
        >>> class FirstColumn:  # any fitted model whose predict returns uplift
        ...     def predict(self, X):
        ...         return np.asarray(X)[:, 0]
        >>> X = [[0.9], [0.8], [0.7], [0.6], [0.5], [0.4]]
        >>> display = LiftupCurveDisplay.from_estimator(
        ...     FirstColumn(), X, [1, 0, 1, 0, 0, 1], [1, 0, 1, 0, 1, 0])
        >>> display.line_.get_label()
        'FirstColumn'
        """
        uplift, name = cls._scores_and_name(estimator, X, name)
        return cls.from_predictions(
            y,
            uplift,
            treatment,
            sample_weight=sample_weight,
            name=name,
            ax=ax,
            **plot_kwargs,
        )
