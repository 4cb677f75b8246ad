"""The decision card: what decision a score informs, when, at what cost, and who owns it.

A model only earns its place in production when it is attached to a decision. The
:class:`DecisionCard` writes that decision down (what is decided, when, which actions
are available and what they cost, which outcome is measured over which window, the
capacity, who owns the model and how it is retrained and rolled back) and checks
the things that silently ruin uplift models: outcomes measured before the decision,
features that are only known after it, a card that names columns the data does not
have, a capacity of zero, and a profit asked for without costs. Its costs are a
``CostModel`` (:meth:`DecisionCard.cost_model`).

Times are numbers relative to the decision time (``0``), in ``time_unit`` (days by
default): ``-1`` means one day before the decision, ``30`` thirty days after it.

The card is written as ``decision.toml`` (:meth:`DecisionCard.to_toml`)::

    decision = "whom to call with a retention offer"
    decision_time = "the 1st of each month, when the call list is drawn"
    owner = "CRM analytics"
    retraining = "quarterly, on a fresh randomized campaign"
    rollback = "previous model directory; or no targeting"
    notes = ""
    time_unit = "days"

    [actions]
    treated = "a call with a 20% discount offer"
    control = "no call"

    [outcome]
    name = "retained (still a customer)"
    window_start = 0
    window_end = 90

    [costs]
    value_per_success = 200.0       # or value_per_unit = 0.3 for a continuous outcome
    cost_per_contact = 10.0
    incentive_cost = 50.0
    incentive_paid = "on_success"
    capacity = 500

    # column = time its value is known, relative to the decision
    [features]
    tenure_months = -1
"""

from actionable.decision._card import DecisionCard
from actionable.decision._costs import DEFAULT_INCENTIVE_PAID

__all__ = ["DEFAULT_INCENTIVE_PAID", "DecisionCard"]
