"""The defaults the production layer and the demo share for costs.

Who pays the incentive is the decision card's default (``actionable.decision.
DEFAULT_INCENTIVE_PAID``, re-exported here): ``load_card``, ``actionable demo`` and a card
loaded in Python apply the same one, and the command line states it in its help. The
learner's default is ``actionable.models.DEFAULT_LEARNER``.
"""

from actionable.decision import DEFAULT_INCENTIVE_PAID

__all__ = ["DEFAULT_INCENTIVE_PAID"]
