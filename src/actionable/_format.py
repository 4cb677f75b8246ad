"""Number and money formatting, one way everywhere: reports, the command line, saved lists."""

import math


def money_digits(*values):
    """Decimals for amounts shown together: cents only when every amount is below 100.

    Examples
    --------
    >>> money_digits(3.25, 12.0), money_digits(99.78, 512.0), money_digits(None)
    (2, 0, 0)
    """
    amounts = [abs(v) for v in values if v is not None and math.isfinite(v)]
    return 2 if amounts and 0 < max(amounts) < 100 else 0


def money(value, currency="$", *, signed=False, digits=None):
    """Format an amount of money: ``$12,340``, ``-$512``, ``$3.25``.

    Amounts below 100 show cents, larger ones whole units; amounts shown together
    (an estimate and its interval) share one precision (:func:`money_interval`).

    Parameters
    ----------
    value : float or None
        Amount; ``None`` or NaN gives an en dash.
    currency : str, default="$"
        Symbol placed before the number.
    signed : bool, default=False
        Prefix positive amounts with ``+``.
    digits : int, default=None
        Decimals; ``None`` chooses from the amount (:func:`money_digits`).

    Returns
    -------
    str

    Examples
    --------
    >>> money(12345.6), money(-512.2), money(3.254), money(None), money(99.78, digits=0)
    ('$12,346', '-$512', '$3.25', '–', '$100')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    amount = abs(value)
    digits = money_digits(amount) if digits is None else digits
    return f"{sign}{currency}{amount:,.{digits}f}"


def money_interval(interval, currency="$", *, brackets=True):
    """The bounds of a money interval in one precision: ``[$99.78, $512.00]``; empty if exact.

    Parameters
    ----------
    interval : Interval or None
        An interval of amounts (its estimate sets the precision too).
    currency : str, default="$"
        Currency symbol.
    brackets : bool, default=True
        ``[a, b]`` or ``a to b``.

    Returns
    -------
    str

    Examples
    --------
    >>> from actionable.metrics import Interval
    >>> money_interval(Interval(314.0, 99.78, 512.0, 0.95, "bootstrap"))
    '[$100, $512]'
    """
    if interval is None or interval.is_exact:
        return ""
    digits = money_digits(interval.estimate, interval.low, interval.high)
    low = money(interval.low, currency, digits=digits)
    high = money(interval.high, currency, digits=digits)
    return f"[{low}, {high}]" if brackets else f"{low} to {high}"


def with_money_interval(interval, currency="$"):
    """``$314 [$100, $512]``: an amount and its interval in one precision.

    Examples
    --------
    >>> from actionable.metrics import Interval
    >>> with_money_interval(Interval(31.5, 9.2, 60.0, 0.95, "bootstrap"))
    '$31.50 [$9.20, $60.00]'
    """
    if interval is None:
        return "–"
    digits = money_digits(interval.estimate, interval.low, interval.high)
    text = money(interval.estimate, currency, digits=digits)
    bounds = money_interval(interval, currency)
    return f"{text} {bounds}" if bounds else text


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
    >>> from actionable.metrics import Interval
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
