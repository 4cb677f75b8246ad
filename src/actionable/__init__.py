"""actionable: is this prediction actionable?

Uplift models, Qini curves and an intervention-cost simulator that show, in money,
whether targeting by outcome risk or by treatable risk pays.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
