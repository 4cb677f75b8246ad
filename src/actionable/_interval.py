"""The one interval type: a point estimate, its bounds, their coverage and how they were made.

Every ``*_ci`` function, the economics, the paired result and the reports use
:class:`Interval`; a value known exactly (computed from potential outcomes, not
estimated) is an ``Interval`` too, with ``low == high == estimate`` and no
confidence level.
"""

from dataclasses import dataclass

__all__ = ["Interval"]


@dataclass(frozen=True)
class Interval:
    """A point estimate with its confidence interval.

    The fields are floats, or arrays of one shape for a pointwise band (a profit
    curve's interval at every threshold). An interval does not unpack like a tuple:
    read its fields by name.

    Parameters
    ----------
    estimate : float or ndarray
        Point estimate.
    low, high : float or ndarray
        Bounds of the interval; equal to ``estimate`` when the value is exact.
    confidence_level : float or None, default=None
        Coverage of the interval, or ``None`` when the value is exact (computed from
        known potential outcomes, not estimated).
    method : str, default=None
        How the interval was obtained (``"bootstrap"``, ``"paired bootstrap"``,
        ``"DeLong"``, ``"normal"``, ``"exact"``, ...). When not given: ``"exact"``
        without a confidence level, ``"bootstrap"`` with one.

    See Also
    --------
    actionable.metrics.qini_auc_score_ci : An estimate that returns one.

    Examples
    --------
    >>> from actionable.metrics import Interval
    >>> ci = Interval(0.5, 0.4, 0.6, 0.95, "bootstrap")
    >>> round(ci.width, 6), ci.is_exact
    (0.2, False)
    >>> Interval.exact(3.0)
    Interval(estimate=3.0, low=3.0, high=3.0, confidence_level=None, method='exact')
    """

    estimate: float
    low: float
    high: float
    confidence_level: float | None = None
    method: str | None = None

    def __post_init__(self):
        if self.method is None:
            method = "exact" if self.confidence_level is None else "bootstrap"
            object.__setattr__(self, "method", method)

    @classmethod
    def exact(cls, value):
        """An exact value (no sampling uncertainty about the rows it describes).

        Parameters
        ----------
        value : float
            The value.

        Returns
        -------
        Interval
            ``low == high == estimate`` and no confidence level.

        Examples
        --------
        >>> Interval.exact(2).is_exact
        True
        """
        value = float(value)
        return cls(value, value, value, None, "exact")

    @property
    def is_exact(self):
        """Whether the value is exact rather than estimated."""
        return self.confidence_level is None

    @property
    def width(self):
        """``high - low``."""
        return self.high - self.low

    def scaled(self, factor):
        """The same interval with the estimate and both bounds multiplied by ``factor``.

        Parameters
        ----------
        factor : float
            Positive scale (e.g. a number of customers, to turn a per-customer profit
            into a total).

        Returns
        -------
        Interval

        Examples
        --------
        >>> Interval(0.5, 0.25, 1.0, 0.9, "bootstrap").scaled(4)
        Interval(estimate=2.0, low=1.0, high=4.0, confidence_level=0.9, method='bootstrap')
        """
        return Interval(
            self.estimate * factor,
            self.low * factor,
            self.high * factor,
            self.confidence_level,
            self.method,
        )

    def to_dict(self):
        """Return the fields as a JSON-ready dict.

        Returns
        -------
        dict
            Keys ``estimate``, ``low``, ``high``, ``confidence_level``, ``method``.

        Examples
        --------
        >>> Interval.exact(1.0).to_dict()["method"]
        'exact'
        """
        return {
            "estimate": self.estimate,
            "low": self.low,
            "high": self.high,
            "confidence_level": self.confidence_level,
            "method": self.method,
        }


# Its public home: the API reference documents it there (the other public paths,
# ``actionable.Interval`` and ``actionable.paired.Interval``, are aliases of it).
Interval.__module__ = "actionable.metrics"
