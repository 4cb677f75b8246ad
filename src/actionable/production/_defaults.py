"""The default the production layer and the demo share for costs: who pays the incentive.

``load_card`` and ``actionable demo`` apply it (and the command line states it in its
help), so the demo's story and a model fitted on a user's data start from the same
choices. The learner's default is ``actionable.models.DEFAULT_LEARNER``.
"""

DEFAULT_INCENTIVE_PAID = "on_success"
"""An incentive (a discount, a voucher) is paid by the customers who take it up: those
who end with the favourable outcome. make_churn's retention offer is priced this way."""
