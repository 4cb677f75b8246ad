"""The report's figures, drawn from numbers already computed in the ``PairedResult``.

Nothing here computes a metric: every curve comes from the result, so every number
on a figure is available without matplotlib. Figures are built with
``matplotlib.figure.Figure`` (no pyplot state) and returned as PNG bytes.
"""

import io

import numpy as np

from actionable.paired import CUSTOMER_TYPES

COLORS = {
    "outcome": "#d95f02",
    "outcome_pooled": "#e6ab02",
    "outcome_treated": "#a6761d",
    "outcome_control": "#d95f02",
    "cost_aware": "#7570b3",
    "uplift": "#1b9e77",
    "random": "#8c8c8c",
    "oracle": "#222222",
}
TYPE_COLORS = {
    "persuadable": "#1b9e77",
    "sure thing": "#8fb9d9",
    "lost cause": "#bdbdbd",
    "sleeping dog": "#e7298a",
}
_DPI = 120


def _new_axes(width=6.4, height=4.0):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    ax = figure.subplots()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    return figure, ax


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, facecolor="white")
    return buffer.getvalue()


def _percent_axis(axis):
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))


def _money_axis(axis, currency):
    from matplotlib.ticker import FuncFormatter

    def fmt(value, _position):
        sign = "-" if value < 0 else ""
        value = abs(value)
        if value >= 1e6:
            return f"{sign}{currency}{value / 1e6:.1f}M"
        if value >= 1e4:
            return f"{sign}{currency}{value / 1e3:.0f}k"
        return f"{sign}{currency}{value:,.0f}"

    axis.set_major_formatter(FuncFormatter(fmt))


def _line_style(key):
    if key == "random":
        return {"linestyle": "--", "linewidth": 1.4}
    if key == "oracle":
        return {"linestyle": ":", "linewidth": 1.8}
    return {"linestyle": "-", "linewidth": 2.2}


def qini_figure(result):
    """Qini curves of every scored policy, against random targeting.

    Returns
    -------
    bytes
        PNG image.
    """
    figure, ax = _new_axes()
    end_gain = 0.0
    for key, policy in result.policies.items():
        if policy.qini is None or key == "cost_aware":
            continue
        n_targeted, gain = policy.qini
        fraction = np.asarray(n_targeted, dtype=float) / result.n_test
        ax.plot(
            fraction, gain, color=COLORS.get(key, "#444444"), label=policy.label, **_line_style(key)
        )
        end_gain = float(gain[-1])
    ax.plot([0, 1], [0, end_gain], color=COLORS["random"], label="Random", **_line_style("random"))
    ax.axhline(0, color="#666666", linewidth=0.8)
    _percent_axis(ax.xaxis)
    ax.set_xlabel("Share of test customers contacted (highest score first)")
    if result.continuous:
        ax.set_ylabel(f"Extra {result.outcome_name.replace('_', ' ')} (Qini gain)")
    else:
        ax.set_ylabel("Extra favourable outcomes (Qini gain)")
    title = "Qini curves: who responds because of the contact"
    if result.continuous:
        title = f"Qini curves: whose {result.outcome_name.replace('_', ' ')} the contact raises"
    ax.set_title(title, loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=9)
    return _png(figure)


def profit_figure(result, currency="$"):
    """Profit of contacting the top share by each policy's score, best points marked.

    Returns
    -------
    bytes
        PNG image.
    """
    figure, ax = _new_axes()
    for key, policy in result.policies.items():
        if key == "cost_aware":
            continue
        color = COLORS.get(key, "#444444")
        ax.plot(policy.fraction, policy.profit, color=color, label=policy.label, **_line_style(key))
        if key != "random":
            ax.plot(
                [policy.best_fraction],
                [policy.profit_best.estimate],
                "o",
                color=color,
                markersize=6,
            )
    cost_aware = result.policies.get("cost_aware")
    if cost_aware is not None:
        ax.plot(
            [cost_aware.best_fraction],
            [cost_aware.profit_best.estimate],
            "D",
            color=COLORS["cost_aware"],
            markersize=7,
            label=cost_aware.label,
        )
    ax.axhline(0, color="#666666", linewidth=0.8)
    capacity = getattr(result.cost_model, "capacity", None)
    if capacity:
        share = min(capacity / result.n_test, 1.0) if capacity >= 1 else capacity
        ax.axvline(share, color="#444444", linestyle="-.", linewidth=1)
        ax.annotate(
            "capacity",
            (share, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -12),
            textcoords="offset points",
            fontsize=8,
        )
    _percent_axis(ax.xaxis)
    _money_axis(ax.yaxis, currency)
    ax.set_xlabel("Share of test customers contacted (highest score first)")
    ax.set_ylabel("Profit vs contacting no one")
    exact = "exact" if result.has_truth else "estimated"
    ax.set_title(
        f"Profit of each targeting ({exact}); dots mark the best size", loc="left", fontsize=11
    )
    ax.legend(frameon=False, fontsize=9)
    return _png(figure)


def customer_type_figure(result):
    """Stacked bars: which kinds of customers each policy contacts at the common size.

    Returns
    -------
    bytes or None
        PNG image, or ``None`` when no policy has a customer-type breakdown.
    """
    policies = [
        p
        for key, p in result.policies.items()
        if p.customer_types is not None and key != "cost_aware"
    ]
    if not policies or result.n_contacted == 0:
        return None
    figure, ax = _new_axes(height=0.55 * len(policies) + 1.5)
    ax.grid(False)
    labels = [p.label for p in policies][::-1]
    left = np.zeros(len(policies))
    for kind in CUSTOMER_TYPES:
        shares = np.array(
            [max(p.customer_types[kind].estimate, 0.0) / result.n_contacted for p in policies]
        )[::-1]
        bars = ax.barh(
            labels,
            shares,
            left=left,
            color=TYPE_COLORS[kind],
            label=kind,
            edgecolor="white",
            height=0.6,
        )
        for bar, share in zip(bars, shares, strict=True):
            if share >= 0.07:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    f"{100 * share:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if kind in ("persuadable", "sleeping dog") else "#222222",
                )
        left += shares
    _percent_axis(ax.xaxis)
    ax.set_xlim(0, max(1.0, float(left.max())))
    ax.spines[["left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    estimated = "" if result.has_truth else " (estimated)"
    ax.set_title(
        f"Who gets contacted: the top {100 * result.k:.0f}% by each score{estimated}",
        loc="left",
        fontsize=11,
    )
    ax.legend(frameon=False, fontsize=9, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return _png(figure)


def risk_uplift_figure(result, max_points=4000, random_state=0):
    """Held-out customers by churn risk and predicted uplift, coloured by true type.

    Only drawn when the potential outcomes are known, for a binary outcome (the types
    are defined for a 0/1 outcome only).

    Returns
    -------
    bytes or None
        PNG image, or ``None`` without ground truth or for a continuous outcome.
    """
    if result.y0_test is None or result.y1_test is None or result.continuous:
        return None
    from actionable.paired import customer_types_of

    risk, uplift = result.outcome.score, result.uplift.score
    kinds = customer_types_of(result.y0_test, result.y1_test)
    rng = np.random.default_rng(random_state)
    rows = np.arange(risk.size)
    if rows.size > max_points:
        rows = rng.choice(rows, size=max_points, replace=False)
    figure, ax = _new_axes()
    for kind in CUSTOMER_TYPES:
        chosen = rows[kinds[rows] == kind]
        ax.scatter(
            risk[chosen],
            uplift[chosen],
            s=7,
            alpha=0.55,
            color=TYPE_COLORS[kind],
            label=kind,
            linewidths=0,
        )
    risk_label = "Churn risk" if result.framing == "churn" else "Predicted response"
    ax.set_xlabel(f"{risk_label} (naive model's score)")
    ax.set_ylabel("Predicted uplift (uplift model's score)")
    ax.set_title("High risk is not the same as persuadable", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=9, markerscale=2.5)
    return _png(figure)


def drivers_figure(result, max_features=12):
    """Horizontal bars: mean absolute contribution of each feature to the predicted uplift.

    Draws ``result.drivers`` (computed in ``evaluate_paired``); features the targeted
    group's rules name are drawn darker.

    Returns
    -------
    bytes or None
        PNG image, or ``None`` when the result has no drivers.
    """
    drivers = getattr(result, "drivers", None)
    if drivers is None or len(drivers) == 0:
        return None
    shown = drivers.iloc[:max_features][::-1]
    group = getattr(result, "targeted_group", None)
    named = set() if group is None else set(group.features)
    colors = [COLORS["uplift"] if name in named else "#a6d9c8" for name in shown.index]
    figure, ax = _new_axes(width=5.2, height=0.32 * len(shown) + 1.3)
    ax.grid(True, axis="x", color="#e6e6e6", linewidth=0.8)
    ax.grid(False, axis="y")
    continuous = getattr(result, "continuous", False)
    points = (1.0 if continuous else 100.0) * shown.to_numpy(dtype=float)
    ax.barh([str(name) for name in shown.index], points, color=colors, height=0.65)
    for y, value in enumerate(points):
        ax.text(value, y, f" {value:.1f}", va="center", fontsize=8, color="#444444")
    ax.set_xlim(0, 1.15 * float(points.max()) if points.max() > 0 else 1.0)
    ax.spines[["left"]].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=9)
    if continuous:
        ax.set_xlabel(f"Mean |contribution| to the uplift, {result.outcome_name.replace('_', ' ')}")
    else:
        ax.set_xlabel("Mean |contribution| to the uplift, percentage points")
    ax.set_title("What moves the predicted uplift", loc="left", fontsize=11)
    return _png(figure)


LANDSCAPE_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def landscape_figure(landscape, result=None):
    """The map of simulated businesses: rank correlation against share of uplift's profit.

    Parameters
    ----------
    landscape : pandas.DataFrame
        From ``actionable.paired.risk_uplift_sweep``.
    result : PairedResult, default=None
        Marks the world it came from, when it is on the map.

    Returns
    -------
    bytes or None
        PNG image, or ``None`` without a landscape.
    """
    if landscape is None or len(landscape) == 0:
        return None
    from actionable.paired import locate_world

    figure, ax = _new_axes(width=6.4, height=3.8)
    for index, (name, group) in enumerate(landscape.groupby("world", sort=False)):
        ax.scatter(
            group["rank_correlation"],
            group["share"],
            s=34,
            marker=LANDSCAPE_MARKERS[index % len(LANDSCAPE_MARKERS)],
            color="#8c8c8c",
            alpha=0.85,
            label=name,
            linewidths=0,
        )
    row = None if result is None else locate_world(landscape, result.world)
    if row is not None:
        x, y = landscape["rank_correlation"].iloc[row], landscape["share"].iloc[row]
        ax.scatter([x], [y], s=150, marker="*", color=COLORS["outcome"], zorder=3)
        ax.annotate("this business", (x, y), xytext=(8, -4), textcoords="offset points", fontsize=9)
    ax.axhline(1.0, color="#666666", linewidth=0.8, linestyle="--")
    _percent_axis(ax.yaxis)
    ax.set_xlabel("How alike churn risk and persuadability rank customers (rank correlation)")
    ax.set_ylabel("Churn-risk targeting's profit\nas a share of uplift targeting's")
    ax.set_title("When does predicting churn suffice?", loc="left", fontsize=11)
    ax.legend(frameon=False, fontsize=8, title="type mix", title_fontsize=8)
    return _png(figure)


def make_figures(result, currency="$", landscape=None):
    """All figures of a paired report.

    Parameters
    ----------
    result : PairedResult
        The paired experiment.
    currency : str, default="$"
        Currency symbol for money axes.
    landscape : pandas.DataFrame, default=None
        A ``risk_uplift_sweep``, drawn as ``landscape.png``.

    Returns
    -------
    dict of str to bytes
        File name (``qini.png``, ``profit.png``, ``customer_types.png``,
        ``risk_vs_uplift.png``, ``landscape.png``, ``drivers.png``) to PNG bytes;
        figures that do not apply are left out.
    """
    figures = {
        "qini.png": qini_figure(result),
        "profit.png": profit_figure(result, currency),
        "customer_types.png": customer_type_figure(result),
        "risk_vs_uplift.png": risk_uplift_figure(result),
        "landscape.png": landscape_figure(landscape, result),
        "drivers.png": drivers_figure(result),
    }
    return {name: png for name, png in figures.items() if png is not None}
