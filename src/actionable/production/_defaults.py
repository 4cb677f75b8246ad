"""The defaults the production layer and the demo share for costs.

Who pays the incentive is the decision card's default (``actionable.decision.
DEFAULT_INCENTIVE_PAID``, re-exported here): ``load_card``, ``actionable demo`` and a card
loaded in Python apply the same one, and the command line states it in its help. The
learner's default is ``actionable.models.DEFAULT_LEARNER``.
"""

from actionable.decision import DEFAULT_INCENTIVE_PAID

__all__ = ["DEFAULT_INCENTIVE_PAID", "PILOT_DESIGN_PARAMETERS"]

PILOT_DESIGN_PARAMETERS = {  # design_pilot's parameter: (type, default or None if required, help)
    "base_rate": (float, None, "favourable-outcome rate without contact, e.g. 0.80 stay"),
    "min_uplift": (float, None, "smallest average uplift worth detecting, e.g. 0.03"),
    "population": (int, None, "customers the campaign will choose from"),
    "power": (float, 0.8, "probability that the tests detect --min-uplift"),
    "confidence_level": (float, 0.95, "1 - alpha of the two-sided tests"),
    "success_probability": (float, 0.8, "probability that the model beats random targeting"),
    "min_gain_share": (float, 0.0, "share of perfect targeting's gain over random targeting "
                       "the model must add (0: beating random is enough)"),
    "treated_share": (float, 0.3, "share of the population contacted, without --capacity"),
    "n_simulations": (int, 40, "simulated pilots per size at most; 0 skips the simulation"),
}  # fmt: skip
"""``design_pilot``'s parameters as ``actionable design`` offers them: type, default (None
when required) and help."""
