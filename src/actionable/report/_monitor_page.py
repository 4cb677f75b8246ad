"""The monitoring page: realized against expected uplift, in money, drift, alerts, the card.

One self-contained HTML file (inline CSS and SVG, no external resources, no
matplotlib), written next to ``monitor.json`` by :class:`MonitorReport`.
"""

import html
import math

from actionable._atomic import dumps_json
from actionable._format import money, with_money_interval
from actionable.paired import Interval

__all__ = ["MonitorReport", "render_monitor_page"]

_CSS = """
.actionable-monitor { font-family: -apple-system, "Segoe UI", Arial, "DejaVu Sans", sans-serif;
  color: #1f2328; max-width: 980px; margin: 0 auto; padding: 24px 28px 40px; line-height: 1.5; }
.actionable-monitor h1 { font-size: 26px; margin: 0 0 6px; }
.actionable-monitor h2 { font-size: 19px; margin: 28px 0 8px; padding-bottom: 4px;
  border-bottom: 1px solid #d8dee4; }
.actionable-monitor .muted { color: #5b636e; }
.actionable-monitor .status { border-radius: 8px; padding: 12px 18px; margin: 16px 0;
  border: 1px solid #bfe3d4; border-left: 6px solid #1b7f5f; background: #f0faf6; }
.actionable-monitor .status.alert { border-color: #f0c8c4; border-left-color: #b3261e;
  background: #fdf3f2; }
.actionable-monitor .status ul { margin: 6px 0 0; padding-left: 22px; }
.actionable-monitor table { border-collapse: collapse; width: 100%; font-size: 14px;
  margin: 6px 0 12px; }
.actionable-monitor th, .actionable-monitor td { padding: 6px 10px; text-align: right;
  border-bottom: 1px solid #d8dee4; vertical-align: top; }
.actionable-monitor th:first-child, .actionable-monitor td:first-child { text-align: left; }
.actionable-monitor table.decision-card th { text-align: left; width: 28%; font-weight: 600; }
.actionable-monitor table.decision-card td { text-align: left; }
.actionable-monitor td.high { color: #b3261e; font-weight: 600; }
.actionable-monitor td.watch { color: #9a6700; }
"""


def _fmt(value, digits=4, signed=True):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _interval_svg(expected, realized, low, high):
    """A number line with the realized interval, its estimate, zero and the expectation."""
    values = [v for v in (expected, realized, low, high, 0.0) if v is not None]
    lo, hi = min(values), max(values)
    pad = 0.15 * (hi - lo) or 0.01
    lo, hi = lo - pad, hi + pad
    width, height = 640, 86

    def x(value):
        return 20 + (value - lo) / (hi - lo) * (width - 40)

    parts = [
        f'<svg role="img" aria-label="realized uplift interval against the expected uplift" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<line x1="20" y1="44" x2="{width - 20}" y2="44" stroke="#d8dee4"/>',
        f'<line x1="{x(0):.1f}" y1="20" x2="{x(0):.1f}" y2="68" stroke="#5b636e" '
        'stroke-dasharray="3,3"/>',
        f'<text x="{x(0):.1f}" y="82" font-size="11" text-anchor="middle" fill="#5b636e">0</text>',
        f'<line x1="{x(low):.1f}" y1="44" x2="{x(high):.1f}" y2="44" stroke="#1b9e77" '
        'stroke-width="6"/>',
        f'<circle cx="{x(realized):.1f}" cy="44" r="6" fill="#1b9e77"/>',
        f'<text x="{x(realized):.1f}" y="30" font-size="12" text-anchor="middle" '
        f'fill="#1b9e77">realized {_fmt(realized)}</text>',
        f'<line x1="{x(expected):.1f}" y1="34" x2="{x(expected):.1f}" y2="54" stroke="#d95f02" '
        'stroke-width="3"/>',
        f'<text x="{x(expected):.1f}" y="68" font-size="12" text-anchor="middle" '
        f'fill="#d95f02">expected {_fmt(expected)}</text>',
        "</svg>",
    ]
    return "".join(parts)


def _drift_rows(drift, score_psi, threshold):
    rows = []
    items = sorted(drift.items(), key=lambda item: -item[1])
    if score_psi is not None:
        items.insert(0, ("predicted uplift (score)", score_psi))
    for name, value in items:
        status = "high" if value > threshold else ("watch" if value > 0.1 else "")
        label = {"high": "shifted", "watch": "watch", "": "stable"}[status]
        rows.append(
            f"<tr><td>{html.escape(str(name))}</td><td class='{status}'>{value:.3f}</td>"
            f"<td class='{status}'>{label}</td></tr>"
        )
    return "".join(rows)


def _money_section(document, currency):
    """Realized and expected extra outcomes and profit of the contacted rows, if costs."""
    if not document:
        return []
    low, high = document["profit_ci"]
    profit = Interval(document["profit"], low, high, 0.95, "Newcombe")
    extra_low, extra_high = document["extra_favourable_outcomes_ci"]
    return [
        "<h2>In money</h2>",
        "<p>What contacting this batch's treated customers earned against leaving them "
        "alone (the control group stands for the outcome without contact), under the "
        "decision card's costs.</p><table><tbody>",
        f"<tr><td>extra favourable outcomes (realized)</td>"
        f"<td>{document['extra_favourable_outcomes']:,.1f} [{extra_low:,.1f}, {extra_high:,.1f}]"
        "</td></tr>",
        f"<tr><td>extra favourable outcomes (expected by the model)</td>"
        f"<td>{document['expected_extra_favourable_outcomes']:,.1f}</td></tr>",
        f"<tr><td>incremental profit (realized)</td><td>{with_money_interval(profit, currency)}"
        "</td></tr>",
        f"<tr><td>incremental profit (expected by the model)</td>"
        f"<td>{money(document['expected_profit'], currency)}</td></tr>",
        "</tbody></table>",
    ]


def render_monitor_page(
    result, *, card=None, title="Model monitoring", source=None, currency="$"
):
    """Render the monitoring page of one campaign batch.

    Parameters
    ----------
    result : dict
        The ``monitor.json`` document (``MonitorResult.to_dict()``).
    card : DecisionCard, default=None
        The model's decision card, shown at the end.
    title : str, default="Model monitoring"
    source : str, default=None
        What was monitored (file names), shown under the title.
    currency : str, default="$"
        Currency symbol of the money figures.

    Returns
    -------
    str
        A complete HTML document.

    Examples
    --------
    >>> page = render_monitor_page({"n": 100, "realized_uplift": 0.05, "ci_low": -0.01,
    ...     "ci_high": 0.11, "expected_uplift": 0.04, "drift": {"age": 0.4}, "alerts": []})
    >>> "+0.0500" in page and "shifted" in page
    True
    """
    alerts = list(result.get("alerts", []))
    level = result.get("confidence_level", 0.95)
    threshold = result.get("psi_alert_threshold", 0.25)
    esc = html.escape
    body = [
        f"<h1>{esc(title)}</h1>",
        f"<p class='muted'>{esc(source)}</p>" if source else "",
    ]
    if alerts:
        items = "".join(f"<li>{esc(a)}</li>" for a in alerts)
        body.append(
            f"<div class='status alert'><strong>{len(alerts)} alert"
            f"{'s' if len(alerts) > 1 else ''}</strong><ul>{items}</ul></div>"
        )
    else:
        body.append(
            "<div class='status'><strong>No alerts.</strong> The realized uplift is in line "
            "with the model's expectation and no feature has drifted.</div>"
        )
    realized, low, high = result["realized_uplift"], result["ci_low"], result["ci_high"]
    expected = result["expected_uplift"]
    counts = ""
    if "n_treated" in result:
        counts = (
            f"<tr><td>rows (treated / control)</td><td>{result['n']:,} "
            f"({result['n_treated']:,} / {result['n_control']:,})</td></tr>"
            f"<tr><td>favourable-outcome rate, treated</td>"
            f"<td>{_fmt(result['treated_rate'], signed=False)}</td></tr>"
            f"<tr><td>favourable-outcome rate, control</td>"
            f"<td>{_fmt(result['control_rate'], signed=False)}</td></tr>"
        )
    else:
        counts = f"<tr><td>rows</td><td>{result['n']:,}</td></tr>"
    body += [
        "<h2>Realized against expected uplift</h2>",
        "<p>Realized uplift is the treated minus the control rate of the favourable outcome "
        f"in this batch, with a {level:.0%} interval "
        f"({esc(result.get('interval_method', 'difference of proportions'))}). Expected "
        "uplift is the mean of the model's predicted uplift for the same rows.</p>",
        _interval_svg(expected, realized, low, high),
        "<table><tbody>",
        counts,
        f"<tr><td>realized uplift</td><td>{_fmt(realized)} [{_fmt(low)}, {_fmt(high)}]</td></tr>",
        f"<tr><td>expected uplift</td><td>{_fmt(expected)}</td></tr>",
        "</tbody></table>",
    ]
    body += _money_section(result.get("money"), currency)
    reference = result.get("drift_reference")
    body.append("<h2>Drift (population stability index)</h2>")
    if reference is not None:
        body.append(
            f"<p>This batch is compared with {esc(reference)}, from the training data kept "
            f"in the model directory. Above {threshold:g}: shifted (alert); 0.1 to that: "
            "watch.</p>"
        )
    drift_rows = _drift_rows(result.get("drift", {}), result.get("score_psi"), threshold)
    if drift_rows:
        body.append(
            "<table><thead><tr><th>feature</th><th>PSI</th><th>status</th></tr></thead>"
            f"<tbody>{drift_rows}</tbody></table>"
        )
    else:
        body.append("<p class='muted'>No drift reference: nothing to compare.</p>")
    holdout = result.get("holdout")
    if holdout:
        needed = holdout.get("control_rows_needed")
        per_group = holdout.get("per_group_if_equal")
        with_treated = (
            f"at least <strong>{needed:,}</strong> control rows next to "
            f"{holdout['n_treated']:,} treated ones"
            if needed is not None
            else f"more treated rows than the {holdout['n_treated']:,} of this batch"
        )
        body += [
            "<h2>Holdout for the next campaign</h2>",
            f"<p>To tell an uplift of {holdout['detectable_uplift']:.4f} from zero with "
            f"{holdout['power']:.0%} power at {holdout['confidence_level']:.0%} confidence, "
            f"keep {with_treated} (or {per_group:,} per group with an even split). This "
            f"batch has {result.get('n_control', 0):,} control rows.</p>",
        ]
    if card is not None:
        body += ["<h2>Decision card</h2>", card.to_html()]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
        f"<body><main class='actionable-monitor'>{''.join(body)}</main></body></html>\n"
    )


class MonitorReport:
    """The monitoring of one campaign batch, as ``monitor.json`` and a self-contained page.

    Parameters
    ----------
    result : MonitorResult
        From ``SavedModel.monitor`` or ``monitor_batch``.
    card : DecisionCard, default=None
        The model's decision card, shown on the page.
    source : str, default=None
        What was monitored, shown under the title.
    title : str, default="Model monitoring"
        Page title.
    currency : str, default="$"
        Currency symbol.

    Examples
    --------
    >>> import numpy as np, tempfile
    >>> from actionable.production import monitor_batch
    >>> rng = np.random.default_rng(0)
    >>> t = rng.integers(0, 2, 5000)
    >>> result = monitor_batch(rng.random(5000) < 0.3 + 0.05 * t, t, np.full(5000, 0.05))
    >>> sorted(p.name for p in MonitorReport(result).write(tempfile.mkdtemp()).iterdir())
    ['monitor.html', 'monitor.json']
    """

    def __init__(self, result, *, card=None, source=None, title="Model monitoring", currency="$"):
        self.result = result
        self.card = card
        self.source = source
        self.title = title
        self.currency = currency

    def json(self):
        """``monitor.json``: the result's document as standard JSON."""
        return dumps_json(self.result.to_dict())

    def html(self):
        """The monitoring page, a complete HTML document."""
        return render_monitor_page(
            self.result.to_dict(),
            card=self.card,
            title=self.title,
            source=self.source,
            currency=self.currency,
        )

    def write(self, directory):
        """Write ``monitor.json`` and ``monitor.html`` into ``directory``, both or neither.

        Parameters
        ----------
        directory : str or path-like
            Output folder, created if missing.

        Returns
        -------
        pathlib.Path
        """
        from actionable._atomic import write_files_atomically

        files = {
            "monitor.json": self.json().encode("utf-8"),
            "monitor.html": self.html().encode("utf-8"),
        }
        return write_files_atomically(directory, files, last="monitor.html")
