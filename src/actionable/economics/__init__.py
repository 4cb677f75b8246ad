"""The intervention-cost simulator: what targeting by a score earns, in money.

``CostModel`` holds the economics (value of a success, or of a unit of a
continuous outcome such as spend; cost per contact, incentive and when it is
paid, capacity, budget). Profit curves give the
profit of contacting the top k of any score, estimated from randomized data
(``profit_curve``) or exact from potential outcomes
(``profit_curve_from_truth``); ``best_targeting`` finds the most profitable k
under capacity and budget; ``profit_difference`` compares two targetings of the
same people with a paired interval; ``break_even_sweep`` shows where each policy starts
to pay; ``policy_profit`` measures policies that choose among several actions per
customer (multi-arm); ``ProfitCurveDisplay`` plots it all.
"""

from actionable.economics._cost_model import CostModel
from actionable.economics._difference import profit_difference, profit_difference_from_truth
from actionable.economics._plot import ProfitCurveDisplay
from actionable.economics._policy import PolicyProfits, policy_profit
from actionable.economics._profit import profit_curve, profit_curve_ci, profit_curve_from_truth
from actionable.economics._sweep import break_even_sweep, break_even_sweep_from_truth
from actionable.economics._targeting import (
    TargetingPoint,
    TargetingResult,
    best_targeting,
    best_targeting_from_truth,
)

__all__ = [
    "CostModel",
    "PolicyProfits",
    "ProfitCurveDisplay",
    "TargetingPoint",
    "TargetingResult",
    "best_targeting",
    "best_targeting_from_truth",
    "break_even_sweep",
    "break_even_sweep_from_truth",
    "policy_profit",
    "profit_curve",
    "profit_curve_ci",
    "profit_curve_from_truth",
    "profit_difference",
    "profit_difference_from_truth",
]

# The churn literature's profit measures and the uplift profit measure (MP/EMPC, MPU, liftup).
from actionable.economics._liftup import (  # noqa: E402
    liftup_curve,
    max_profit_uplift,
    max_profit_uplift_ci,
    max_profit_uplift_curve,
)
from actionable.economics._liftup_display import LiftupCurveDisplay  # noqa: E402
from actionable.economics._maximum_profit import (  # noqa: E402
    ExpectedMaxProfit,
    MaxProfit,
    expected_max_profit_churn,
    max_profit_churn,
)

__all__ += [
    "ExpectedMaxProfit",
    "LiftupCurveDisplay",
    "MaxProfit",
    "expected_max_profit_churn",
    "liftup_curve",
    "max_profit_churn",
    "max_profit_uplift",
    "max_profit_uplift_ci",
    "max_profit_uplift_curve",
]
