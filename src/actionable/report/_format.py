"""Number formatting shared by the HTML, Markdown and terminal renderings."""

import math


def money(value, currency="$", *, signed=False):
    """Format an amount of money: ``$12,340``, ``-$512``, ``$3.25``.

    Parameters
    ----------
    value : float or None
        Amount; ``None`` or NaN gives an en dash.
    currency : str, default="$"
        Symbol placed before the number.
    signed : bool, default=False
        Prefix positive amounts with ``+``.

    Returns
    -------
    str

    Examples
    --------
    >>> money(12345.6), money(-512.2), money(3.254), money(None)
    ('$12,346', '-$512', '$3.25', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    amount = abs(value)
    digits = 2 if 0 < amount < 100 else 0
    return f"{sign}{currency}{amount:,.{digits}f}"


def percent(fraction, digits=0):
    """Format a fraction as a percentage.

    Examples
    --------
    >>> percent(0.2345), percent(0.2346, 1), percent(None)
    ('23%', '23.5%', '–')
    """
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return "–"
    return f"{100 * fraction:.{digits}f}%"


def number(value, digits=3):
    """Format a metric value with a fixed number of decimals (``–`` when missing).

    Examples
    --------
    >>> number(0.123456), number(None)
    ('0.123', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"


def count(value):
    """Format a count with thousands separators.

    Examples
    --------
    >>> count(12345), count(12.6)
    ('12,345', '13')
    """
    return f"{round(value):,}"


def interval_text(interval, fmt, *, brackets=True):
    """Format an interval's bounds with ``fmt``: ``[0.81, 0.84]``; empty if exact.

    Parameters
    ----------
    interval : Interval or None
        Interval to format.
    fmt : callable
        Formatter of one number.
    brackets : bool, default=True
        Square brackets (``[a, b]``) or words (``a to b``).

    Returns
    -------
    str
    """
    if interval is None or interval.is_exact:
        return ""
    low, high = fmt(interval.low), fmt(interval.high)
    return f"[{low}, {high}]" if brackets else f"{low} to {high}"


def with_interval(interval, fmt):
    """``estimate [low, high]``, or just the estimate when exact or missing.

    Examples
    --------
    >>> from actionable.paired import Interval
    >>> with_interval(Interval(0.5, 0.4, 0.6, 0.95, "bootstrap"), number)
    '0.500 [0.400, 0.600]'
    """
    if interval is None:
        return "–"
    text = fmt(interval.estimate)
    bounds = interval_text(interval, fmt)
    return f"{text} {bounds}" if bounds else text


def earns(value, currency="$"):
    """``earns $X``, ``loses $X`` or ``breaks even``.

    Examples
    --------
    >>> earns(1200.0), earns(-35.5), earns(0.0)
    ('earns $1,200', 'loses $35.50', 'breaks even')
    """
    if value > 0:
        return f"earns {money(value, currency)}"
    if value < 0:
        return f"loses {money(-value, currency)}"
    return "breaks even"
