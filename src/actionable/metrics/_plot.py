"""The Display base shared by every curve plot, and ``UpliftCurveDisplay``.

All numbers are computed without matplotlib; matplotlib is imported only when a
Display's ``plot`` runs without an ``ax``.
"""

import numpy as np

from ._common import check_bool, check_inputs, targeting_score
from ._curves import perfect_qini_curve, perfect_uplift_curve, qini_curve, uplift_curve
from ._kernel import is_binary
from ._scores import qini_auc_score, uplift_auc_score

__all__ = ["UpliftCurveDisplay"]

_KINDS = ("qini", "uplift")
_MSG_KIND = "kind must be 'qini' or 'uplift'; got {value!r}."
_MSG_AX = "ax must be a matplotlib Axes or None; got {type}."
_SCORE_NAMES = {"qini": "Qini coefficient", "uplift": "normalized AUUC"}


class CurveDisplayMixin:
    """What every curve Display shares, in scikit-learn's Display pattern.

    A Display's constructor only stores numbers computed by public functions;
    ``from_predictions`` calls those functions and then ``plot``;
    ``from_estimator`` turns a fitted model into scores and calls
    ``from_predictions``. This mixin holds the shared steps: the model's scores
    and default name (:meth:`_scores_and_name`), the axes to draw on
    (:meth:`_axes`, which creates a figure, importing matplotlib only then), the
    legend label (:meth:`_label`) and the axis labels, legend and the ``ax_`` and
    ``figure_`` attributes (:meth:`_finish_plot`). Subclasses set ``name``.
    """

    @staticmethod
    def _axes(ax):
        """``ax`` checked, or new axes on a new figure when ``ax`` is None."""
        if ax is None:
            from .._compat import import_pyplot

            _, ax = import_pyplot().subplots()
            return ax
        if not all(hasattr(ax, attribute) for attribute in ("plot", "figure", "legend")):
            raise ValueError(_MSG_AX.format(type=type(ax).__name__))
        return ax

    def _label(self, name, default):
        """The legend label: ``name``, else the display's ``name``, else ``default``."""
        name = self.name if name is None else name
        return default if name is None else str(name)

    def _finish_plot(self, ax, *, xlabel, ylabel, legend_loc="best"):
        """Label the axes, draw the legend and keep ``ax_`` and ``figure_``; return self."""
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(loc=legend_loc)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @staticmethod
    def _scores_and_name(estimator, X, name):
        """The targeting scores of a fitted model on ``X``, and the legend name.

        An uplift model's ``predict(X)``, or a naive outcome model's
        ``predict_risk(X)``; the name defaults to the model's class name.
        """
        score = targeting_score(estimator, X)
        return score, type(estimator).__name__ if name is None else name


class UpliftCurveDisplay(CurveDisplayMixin):
    """Qini or uplift curve of one model, with optional random and perfect curves.

    Build it with :meth:`from_predictions` or :meth:`from_estimator`; both
    compute every number first and then call :meth:`plot`. To draw several
    models on one axis, pass the first display's ``ax_`` as ``ax``.

    Parameters
    ----------
    n_targeted : ndarray
        Number (total weight) of samples targeted at each threshold, from 0.
    gain : ndarray
        Incremental outcomes at each threshold, from 0.
    kind : {'qini', 'uplift'}, default='qini'
        Which curve ``gain`` is.
    auc : float, default=None
        Normalized area under the curve (Qini coefficient or normalized AUUC).
    name : str, default=None
        Model name shown in the legend.
    perfect_n_targeted, perfect_gain : ndarray, default=None
        The perfect curve, if it should be available for plotting.
    outcome_label : str, default="Incremental successes"
        Y-axis label (the unit of ``gain``).

    Attributes
    ----------
    random_n_targeted, random_gain : ndarray of shape (2,)
        End points of the random-targeting line.
    line_ : matplotlib.lines.Line2D
        The model's curve (after :meth:`plot`).
    random_line_, perfect_line_ : matplotlib.lines.Line2D or None
        The reference curves, when drawn.
    ax_ : matplotlib.axes.Axes
        Axes holding the curves.
    figure_ : matplotlib.figure.Figure
        Figure holding the axes.

    See Also
    --------
    qini_curve, uplift_curve : The curves drawn.
    qini_auc_score, uplift_auc_score : The areas shown in the legend.

    Examples
    --------
    >>> from actionable.metrics import UpliftCurveDisplay
    >>> y = [1, 0, 1, 0, 1, 0]
    >>> t = [1, 1, 1, 0, 0, 0]
    >>> display = UpliftCurveDisplay.from_predictions(
    ...     y, [0.9, 0.1, 0.8, 0.7, 0.2, 0.3], t, name="uplift model")
    >>> round(display.auc, 4), float(display.gain[-1])
    (0.8974, 1.0)
    >>> display.ax_.get_xlabel(), display.ax_.get_ylabel()
    ('Number targeted', 'Incremental successes')
    >>> other = UpliftCurveDisplay.from_predictions(
    ...     y, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], t, name="other", ax=display.ax_)
    >>> len(display.ax_.lines)
    3
    >>> import matplotlib.pyplot as plt
    >>> plt.close(display.figure_)
    """

    def __init__(
        self,
        *,
        n_targeted,
        gain,
        kind="qini",
        auc=None,
        name=None,
        perfect_n_targeted=None,
        perfect_gain=None,
        outcome_label="Incremental successes",
    ):
        self.n_targeted = np.asarray(n_targeted, dtype=np.float64)
        self.gain = np.asarray(gain, dtype=np.float64)
        self.kind = _check_kind(kind)
        self.auc = auc
        self.name = name
        self.perfect_n_targeted = perfect_n_targeted
        self.perfect_gain = perfect_gain
        self.outcome_label = outcome_label
        self.random_n_targeted = np.array([0.0, self.n_targeted[-1]])
        self.random_gain = np.array([0.0, self.gain[-1]])

    def plot(
        self,
        ax=None,
        *,
        name=None,
        plot_random=True,
        plot_perfect=False,
        curve_kwargs=None,
        random_kwargs=None,
        perfect_kwargs=None,
    ):
        """Draw the curve (and the reference curves) on ``ax``.

        Nothing is computed here: the numbers come from the display's attributes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure is created when None.
        name : str, default=None
            Legend name; defaults to the display's ``name``.
        plot_random : bool, default=True
            Draw the random-targeting line (not again if ``ax`` already has it).
        plot_perfect : bool, default=False
            Draw the perfect curve (not again if ``ax`` already has it).
        curve_kwargs, random_kwargs, perfect_kwargs : dict, default=None
            Keyword arguments for ``ax.plot`` of each curve.

        Returns
        -------
        UpliftCurveDisplay
            ``self``, with ``line_``, ``ax_`` and ``figure_`` set.

        See Also
        --------
        UpliftCurveDisplay.from_predictions : Compute the numbers, then plot.

        Examples
        --------
        >>> from actionable.metrics import UpliftCurveDisplay
        >>> display = UpliftCurveDisplay(n_targeted=[0, 2, 4], gain=[0, 2, 1], auc=0.5)
        >>> display.plot(plot_random=False).line_.get_label()
        'Model (Qini coefficient = 0.500)'
        >>> import matplotlib.pyplot as plt
        >>> plt.close(display.figure_)
        """
        plot_random = check_bool(plot_random, "plot_random")
        plot_perfect = check_bool(plot_perfect, "plot_perfect")
        ax = self._axes(ax)
        label = self._label(name, "Model")
        if self.auc is not None:
            label = f"{label} ({_SCORE_NAMES[self.kind]} = {self.auc:.3f})"
        (self.line_,) = ax.plot(
            self.n_targeted, self.gain, **{"label": label, **(curve_kwargs or {})}
        )
        self.random_line_ = None
        if plot_random:
            self.random_line_ = _plot_reference(
                ax,
                self.random_n_targeted,
                self.random_gain,
                {"label": "Random", "color": "gray", "linestyle": "--", **(random_kwargs or {})},
            )
        self.perfect_line_ = None
        if plot_perfect:
            if self.perfect_gain is None:
                raise ValueError(
                    "plot_perfect=True needs perfect_n_targeted and perfect_gain; build the "
                    "display with from_predictions or from_estimator."
                )
            self.perfect_line_ = _plot_reference(
                ax,
                self.perfect_n_targeted,
                self.perfect_gain,
                {"label": "Perfect", "color": "black", "linestyle": ":", **(perfect_kwargs or {})},
            )
        return self._finish_plot(ax, xlabel="Number targeted", ylabel=self.outcome_label)

    @classmethod
    def from_predictions(
        cls,
        y_true,
        uplift,
        treatment,
        *,
        kind="qini",
        sample_weight=None,
        negative_effect=True,
        name=None,
        ax=None,
        plot_random=True,
        plot_perfect=False,
        curve_kwargs=None,
        random_kwargs=None,
        perfect_kwargs=None,
    ):
        """Compute the curve of predicted uplift scores and plot it.

        The curve, the perfect curve and the normalized area come from the public
        functions (:func:`qini_curve`, :func:`perfect_qini_curve`,
        :func:`qini_auc_score`, or their ``uplift`` counterparts).

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Observed outcomes: binary (1 = favourable) or continuous.
        uplift : array-like of shape (n_samples,)
            Predicted uplift; higher means target first.
        treatment : array-like of shape (n_samples,)
            1 for treated, 0 for control.
        kind : {'qini', 'uplift'}, default='qini'
            Which curve to compute.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.
        negative_effect : bool, default=True
            Passed to the perfect Qini curve (ignored for ``kind='uplift'``).
        name : str, default=None
            Legend name.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure is created when None.
        plot_random : bool, default=True
            Draw the random-targeting line.
        plot_perfect : bool, default=False
            Draw the perfect curve.
        curve_kwargs, random_kwargs, perfect_kwargs : dict, default=None
            Keyword arguments for ``ax.plot`` of each curve.

        Returns
        -------
        UpliftCurveDisplay
            The plotted display.

        See Also
        --------
        UpliftCurveDisplay.from_estimator : Use a fitted model's predictions.

        Examples
        --------
        >>> from actionable.metrics import UpliftCurveDisplay
        >>> display = UpliftCurveDisplay.from_predictions(
        ...     [1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0], kind="uplift")
        >>> display.gain.tolist()
        [0.0, 1.0, 1.0, -1.5, 0.0]
        >>> import matplotlib.pyplot as plt
        >>> plt.close(display.figure_)
        """
        kind = _check_kind(kind)
        negative_effect = check_bool(negative_effect, "negative_effect")
        y_true, uplift, treatment, sample_weight = check_inputs(
            y_true, uplift, treatment, sample_weight
        )
        if kind == "qini":
            actual = qini_curve(y_true, uplift, treatment, sample_weight=sample_weight)
            perfect = perfect_qini_curve(
                y_true, treatment, negative_effect, sample_weight=sample_weight
            )
            score = qini_auc_score(
                y_true, uplift, treatment, negative_effect, sample_weight=sample_weight
            )
        else:
            actual = uplift_curve(y_true, uplift, treatment, sample_weight=sample_weight)
            perfect = perfect_uplift_curve(y_true, treatment, sample_weight=sample_weight)
            score = uplift_auc_score(y_true, uplift, treatment, sample_weight=sample_weight)
        display = cls(
            n_targeted=actual[0],
            gain=actual[1],
            kind=kind,
            auc=score,
            name=name,
            perfect_n_targeted=perfect[0],
            perfect_gain=perfect[1],
            outcome_label="Incremental successes" if is_binary(y_true) else "Incremental outcome",
        )
        return display.plot(
            ax=ax,
            plot_random=plot_random,
            plot_perfect=plot_perfect,
            curve_kwargs=curve_kwargs,
            random_kwargs=random_kwargs,
            perfect_kwargs=perfect_kwargs,
        )

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        treatment,
        *,
        kind="qini",
        sample_weight=None,
        negative_effect=True,
        name=None,
        ax=None,
        plot_random=True,
        plot_perfect=False,
        curve_kwargs=None,
        random_kwargs=None,
        perfect_kwargs=None,
    ):
        """Compute the curve of a fitted uplift model's predictions and plot it.

        Equivalent to :meth:`from_predictions` with ``estimator.predict(X)``, or
        ``estimator.predict_risk(X)`` for a naive outcome model that has it.

        Parameters
        ----------
        estimator : object
            Fitted uplift model whose ``predict(X)`` returns uplift scores, or a
            naive outcome model with ``predict_risk(X)`` (its risk is the ranking).
        X : array-like of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Observed outcomes.
        treatment : array-like of shape (n_samples,)
            1 for treated, 0 for control.
        kind : {'qini', 'uplift'}, default='qini'
            Which curve to compute.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.
        negative_effect : bool, default=True
            Passed to the perfect Qini curve.
        name : str, default=None
            Legend name; defaults to the estimator's class name.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure is created when None.
        plot_random : bool, default=True
            Draw the random-targeting line.
        plot_perfect : bool, default=False
            Draw the perfect curve.
        curve_kwargs, random_kwargs, perfect_kwargs : dict, default=None
            Keyword arguments for ``ax.plot`` of each curve.

        Returns
        -------
        UpliftCurveDisplay
            The plotted display.

        See Also
        --------
        UpliftCurveDisplay.from_predictions : Use precomputed scores.

        Examples
        --------
        >>> import numpy as np
        >>> from actionable.metrics import UpliftCurveDisplay
        >>> class FirstColumn:
        ...     def predict(self, X):
        ...         return np.asarray(X)[:, 0]
        >>> display = UpliftCurveDisplay.from_estimator(
        ...     FirstColumn(), [[0.9], [0.8], [0.2], [0.1]], [1, 0, 1, 0], [1, 1, 0, 0])
        >>> display.name, display.gain.tolist()
        ('FirstColumn', [0.0, 1.0, 1.0, -1.0, 0.0])
        >>> import matplotlib.pyplot as plt
        >>> plt.close(display.figure_)
        """
        score, name = cls._scores_and_name(estimator, X, name)
        return cls.from_predictions(
            y,
            score,
            treatment,
            kind=kind,
            sample_weight=sample_weight,
            negative_effect=negative_effect,
            name=name,
            ax=ax,
            plot_random=plot_random,
            plot_perfect=plot_perfect,
            curve_kwargs=curve_kwargs,
            random_kwargs=random_kwargs,
            perfect_kwargs=perfect_kwargs,
        )


def _check_kind(kind):
    if not isinstance(kind, str) or kind not in _KINDS:
        raise ValueError(_MSG_KIND.format(value=kind))
    return kind


def _plot_reference(ax, x, y, kwargs):
    """Plot a reference curve unless ``ax`` already shows the same one."""
    for line in ax.get_lines():
        if (
            line.get_label() == kwargs.get("label")
            and np.array_equal(line.get_xdata(), x)
            and np.array_equal(line.get_ydata(), y)
        ):
            return line
    (line,) = ax.plot(x, y, **kwargs)
    return line
