"""``make_churn``: a synthetic subscription business whose customers' types are known."""

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from actionable._validation import check_integer, check_number
from actionable.datasets._assignment import ASSIGNMENTS, assign_treatment
from actionable.datasets._churn_outcomes import (
    DEFAULT_COSTS,
    DESCRIPTION,
    REVENUE_DESCRIPTION,
    check_outcome,
    revenue_costs,
    revenue_outcomes,
)
from actionable.datasets._dataset import UpliftDataset

CUSTOMER_TYPES = ("persuadable", "sure thing", "lost cause", "sleeping dog")
# Potential outcomes (retained without contact, retained with contact) of each type.
_Y0 = np.array([0, 1, 0, 1])
_Y1 = np.array([1, 1, 0, 0])

DEFAULT_TYPE_MIX = {
    "persuadable": 0.22,
    "sure thing": 0.45,
    "lost cause": 0.23,
    "sleeping dog": 0.10,
}
# Feature coefficients are multiplied by _BASE_SHARPNESS * sharpness; the base value is
# calibrated so that, at the default sharpness of 1, a good churn classifier reaches an
# AUC near 0.87 while uplift learners recover the true effect (Spearman above 0.9).
_BASE_SHARPNESS = 1.8

_PLANS = ("basic", "standard", "premium")
_PLAN_PRICE = np.array([19.0, 39.0, 69.0])
_CONTRACTS = ("monthly", "annual", "two_year")
_REGIONS = ("north", "south", "east", "west")

# The reference sample on which the type intercepts are solved: fixed, so that a world
# depends only on (type_mix, sharpness), never on random_state.
_REFERENCE_SIZE = 50_000
_REFERENCE_SEED = 20240611

_MSG_POSITIVE_INTEGER = "{name} must be a positive integer; got {value!r}."
_MSG_SHARE = "{name} must be in (0, 1); got {value!r}."
_MSG_NON_NEGATIVE = "{name} must be a non-negative number; got {value!r}."
_MSG_TYPE_MIX = (
    "type_mix must map each of {types} to a positive share, the shares summing to 1; got {value!r}."
)


def _draw_features(n_samples, rng):
    """Customer features; latent engagement/friction/price drivers stay unobserved."""
    engagement = rng.standard_normal(n_samples)
    friction = rng.standard_normal(n_samples)
    price_sensitivity = rng.standard_normal(n_samples)

    tenure = np.clip(np.ceil(rng.gamma(1.6, 15.0, n_samples)), 1, 72)
    contract_logits = np.column_stack(
        [np.zeros(n_samples), -1.2 + 0.04 * tenure, -3.0 + 0.06 * tenure]
    )
    contract = _categorical_draw(contract_logits, rng)
    plan = rng.choice(3, size=n_samples, p=[0.45, 0.38, 0.17])
    addons = rng.poisson(0.8, n_samples)
    monthly_spend = np.round(
        _PLAN_PRICE[plan] * np.exp(0.12 * rng.standard_normal(n_samples)) + 5.0 * addons, 2
    )
    usage_trend = np.round(0.15 * engagement + 0.10 * rng.standard_normal(n_samples), 3)
    last_login_days = np.round(
        np.exp(1.8 - 0.7 * engagement + 0.45 * rng.standard_normal(n_samples))
    )
    support_tickets = rng.poisson(np.exp(-0.6 + 0.6 * friction))
    payment_failures = rng.poisson(np.exp(-2.2 + 0.8 * friction))
    discount_history = rng.poisson(np.exp(-0.6 + 0.7 * price_sensitivity))
    auto_renew = (rng.random(n_samples) < 0.55).astype(np.int64)

    return pd.DataFrame(
        {
            "tenure_months": tenure.astype(np.int64),
            "contract": pd.Categorical.from_codes(contract, categories=list(_CONTRACTS)),
            "plan": pd.Categorical.from_codes(plan, categories=list(_PLANS)),
            "monthly_spend": monthly_spend,
            "addons": addons.astype(np.int64),
            "usage_trend": usage_trend,
            "last_login_days": last_login_days.astype(np.int64),
            "support_tickets": support_tickets.astype(np.int64),
            "payment_failures": payment_failures.astype(np.int64),
            "discount_history": discount_history.astype(np.int64),
            "auto_renew": auto_renew,
            # Pure noise: unrelated to anything else.
            "age": np.clip(np.round(rng.normal(42, 13, n_samples)), 18, 85).astype(np.int64),
            "region": pd.Categorical.from_codes(
                rng.integers(0, 4, n_samples), categories=list(_REGIONS)
            ),
            "signup_weekday": rng.integers(0, 7, n_samples).astype(np.int64),
        }
    )


def _categorical_draw(logits, rng):
    probabilities = _softmax(logits)
    cumulative = np.cumsum(probabilities, axis=1)
    draws = rng.random(logits.shape[0])[:, None]
    return np.minimum((draws > cumulative).sum(axis=1), logits.shape[1] - 1)


def _softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _type_scores(X, risk_alignment=0.0):
    """Feature part of each type's logit (sure thing = 0), before sharpness and intercepts.

    Smooth functions of the observed features only, so a customer's type
    probabilities (and true effect) are a function of ``X``. ``risk_alignment``
    moves the persuadables' logit towards the lost causes' (positive) or away from it
    (negative), and the sleeping dogs' the other way (see :func:`_aligned`).
    """
    plan_price = _PLAN_PRICE[X["plan"].cat.codes.to_numpy()]
    contract = X["contract"].cat.codes.to_numpy()
    disengaged = (np.log1p(X["last_login_days"].to_numpy()) - 1.9) / 0.55
    declining = -X["usage_trend"].to_numpy() / 0.18
    friction = X["support_tickets"].to_numpy() / 1.2 + 1.2 * X["payment_failures"].to_numpy()
    loyalty = (
        (np.log(X["tenure_months"].to_numpy()) - 2.8) / 0.9
        + 0.8 * (contract == 1)
        + 1.5 * (contract == 2)
    )
    price = (
        X["discount_history"].to_numpy() / 0.9
        + (X["monthly_spend"].to_numpy() - plan_price) / 12.0
        + 0.6 * (contract == 0)
    )
    auto_renew = X["auto_renew"].to_numpy()
    persuadable = 1.5 * price + 0.5 * declining - 0.4 * loyalty
    lost_cause = 1.4 * disengaged + 1.0 * declining + 1.2 * friction - 0.8 * loyalty
    sleeping_dog = 1.4 * disengaged + 0.8 * declining + 2.0 * auto_renew - 1.2 * friction
    if risk_alignment:
        persuadable = _aligned(persuadable, lost_cause, risk_alignment, "persuadable")
        sleeping_dog = _aligned(sleeping_dog, lost_cause, -risk_alignment, "sleeping dog")
    zeros = np.zeros(len(X))
    return np.column_stack([persuadable, zeros, lost_cause, sleeping_dog])


def _aligned(own, lost_cause, weight, kind):
    """Blend a type's logit with the lost causes' (``weight`` > 0) or its opposite (< 0).

    Both logits are first put on the same scale (their standard deviations on the
    reference sample); the blend ``(1 - |w|) own + w lost_cause`` is divided by
    ``sqrt((1 - |w|)^2 + w^2)`` so that its spread stays about that of ``own``, and
    it is returned on ``own``'s original scale. ``|w| = 1`` replaces the type's own
    drivers by those of the lost causes (or their reverse).
    """
    spread = _reference_spread()
    scale_own, scale_lost = spread[kind], spread["lost cause"]
    keep = 1.0 - abs(weight)
    blend = (keep * own / scale_own + weight * lost_cause / scale_lost) / np.hypot(keep, weight)
    return scale_own * blend


@dataclass(frozen=True, eq=False)
class ChurnWorld:
    """The fixed structure of a ``make_churn`` world: how features map to types.

    Parameters
    ----------
    sharpness : float
        Multiplies the feature part of every type logit: higher values make types
        more predictable from the features.
    intercepts : tuple of float
        Logit intercepts per type (order of ``CUSTOMER_TYPES``), solved so that the
        expected shares match the requested type mix.
    risk_alignment : float, default=0.0
        How churn risk lines up with persuadability (see :func:`make_churn`).
    """

    sharpness: float
    intercepts: tuple
    risk_alignment: float = 0.0

    def type_probabilities(self, X):
        """Probability of each customer type given the features.

        Parameters
        ----------
        X : pandas.DataFrame
            Features as returned by :func:`make_churn`.

        Returns
        -------
        ndarray of shape (n_samples, 4)
            Columns follow ``("persuadable", "sure thing", "lost cause", "sleeping dog")``.
        """
        logits = self.sharpness * _type_scores(X, self.risk_alignment) + np.asarray(self.intercepts)
        return _softmax(logits)

    def __eq__(self, other):
        return (
            isinstance(other, ChurnWorld)
            and self.sharpness == other.sharpness
            and self.intercepts == other.intercepts
            and self.risk_alignment == other.risk_alignment
        )

    def __hash__(self):
        return hash((self.sharpness, self.intercepts, self.risk_alignment))


@functools.lru_cache(maxsize=1)
def _reference_features():
    """The fixed reference sample on which worlds are solved (drawn once per process)."""
    return _draw_features(_REFERENCE_SIZE, np.random.default_rng(_REFERENCE_SEED))


@functools.lru_cache(maxsize=1)
def _reference_spread():
    """Standard deviation of each type's own logit on the reference sample."""
    scores = _type_scores(_reference_features())
    return {kind: float(scores[:, index].std()) for index, kind in enumerate(CUSTOMER_TYPES)}


def _newton_intercepts(scores, target, iterations=20):
    """Intercepts (sure thing = 0) whose mean softmax over ``scores`` equals ``target``.

    Newton's method on ``log(mean share) = log(target)`` over the three free
    intercepts; a handful of steps instead of the ~60 of the plain fixed-point
    iteration that polishes the result.
    """
    free = [0, 2, 3]
    intercepts = np.log(target) - np.log(target[1])
    for _ in range(iterations):
        probabilities = _softmax(scores + intercepts)
        mean = probabilities.mean(axis=0)
        residual = np.log(mean[free]) - np.log(target[free])
        if np.max(np.abs(residual)) < 1e-12:
            break
        # d mean_k / d b_j = mean(p_k (delta_kj - p_j)); divided by mean_k for the log
        cross = probabilities[:, free].T @ probabilities[:, free] / probabilities.shape[0]
        jacobian = (np.diag(mean[free]) - cross) / mean[free][:, None]
        intercepts[free] -= np.linalg.solve(jacobian, residual)
    return intercepts


@functools.lru_cache(maxsize=64)
def _solve_world(shares, sharpness, risk_alignment=0.0):
    """Find the intercepts giving the requested expected type shares (deterministic)."""
    scores = sharpness * _type_scores(_reference_features(), risk_alignment)
    target = np.asarray(shares)
    intercepts = _newton_intercepts(scores, target)
    for _ in range(500):  # polish: stops at once when Newton has converged
        mean = _softmax(scores + intercepts).mean(axis=0)
        step = np.log(target) - np.log(mean)
        intercepts = intercepts + step
        intercepts -= intercepts[1]
        if np.max(np.abs(step)) < 1e-10:
            break
    return ChurnWorld(
        sharpness=float(sharpness),
        intercepts=tuple(float(v) for v in intercepts),
        risk_alignment=float(risk_alignment),
    )


def _check_type_mix(type_mix):
    if type_mix is None:
        type_mix = DEFAULT_TYPE_MIX
    message = _MSG_TYPE_MIX.format(types=", ".join(map(repr, CUSTOMER_TYPES)), value=type_mix)
    if not isinstance(type_mix, dict) or set(type_mix) != set(CUSTOMER_TYPES):
        raise ValueError(message)
    shares = np.array([type_mix[name] for name in CUSTOMER_TYPES], dtype=np.float64)
    if not np.all(np.isfinite(shares)) or np.any(shares <= 0) or abs(shares.sum() - 1) > 1e-6:
        raise ValueError(message)
    return tuple(float(v) for v in shares / shares.sum())


def _check_risk_alignment(risk_alignment):
    message = "{name} must be a number in [-1, 1]; got {value!r}."
    return check_number(risk_alignment, "risk_alignment", low=-1, high=1, message=message)


def make_churn(
    n_samples=50_000,
    *,
    treatment_share=0.5,
    type_mix=None,
    sharpness=1.0,
    risk_alignment=0.0,
    assignment="random",
    outcome="retained",
    random_state=None,
):
    """Generate a randomized retention campaign on a synthetic subscription business.

    The generative story:

    1. Customers are drawn with features a churn team would have: ``tenure_months``,
       ``contract`` (monthly, annual, two_year), ``plan`` (basic, standard, premium),
       ``monthly_spend``, ``addons``, ``usage_trend`` (relative change of usage over
       the last quarter), ``last_login_days``, ``support_tickets``,
       ``payment_failures``, ``discount_history`` (past discounts accepted),
       ``auto_renew``, and three pure-noise features (``age``, ``region``,
       ``signup_weekday``). Unobserved drivers (engagement, friction, price
       sensitivity) make the features correlated.
    2. Each customer's type (persuadable, sure thing, lost cause, sleeping dog)
       is drawn from a multinomial logit of the features: smooth and overlapping,
       never a lookup. Lost causes are disengaged customers with declining usage,
       tickets and payment failures; sleeping dogs look similar (disengaged, declining
       usage) but are on auto-renew without complaints, so a churn model sees them as
       high risk; persuadables are price-sensitive customers with cooling usage; sure
       things are loyal and engaged. Intercepts are solved so the expected type shares
       equal ``type_mix``.
    3. Potential outcomes follow from the type without noise: persuadable (y0=0,
       y1=1), sure thing (1, 1), lost cause (0, 0), sleeping dog (1, 0). The true
       effect given the features is P(persuadable | x) - P(sleeping dog | x).
    4. Treatment (the retention offer) is assigned completely at random to
       ``round(treatment_share * n_samples)`` customers (or, with ``assignment``
       other than ``"random"``, by a targeted campaign with known contact
       probabilities); ``y = y1`` for treated customers and ``y0`` otherwise.
    5. With ``outcome="revenue"``, each outcome becomes the monthly revenue kept:
       the customer's ``monthly_spend`` if retained, 0 if not (USD).

    The world's structure (how features map to types) depends only on ``type_mix``,
    ``sharpness`` and ``risk_alignment``: samples drawn with different
    ``random_state`` come from the same world, so a model trained on one can score
    or be monitored on another.

    Whether a churn model (ranking by the risk of leaving without contact, that is
    P(persuadable) + P(lost cause)) targets as well as an uplift model (ranking by
    P(persuadable) - P(sleeping dog)) depends on how those two line up; ``type_mix``
    and ``risk_alignment`` set it (``actionable.paired.risk_uplift_sweep`` maps it).

    Parameters
    ----------
    n_samples : int, default=50_000
        Number of customers.
    treatment_share : float, default=0.5
        Share of customers who get the offer, in (0, 1).
    type_mix : dict, default=None
        Expected share of each type, keys ``"persuadable"``, ``"sure thing"``,
        ``"lost cause"``, ``"sleeping dog"``, positive and summing to 1. ``None``
        uses 22% persuadables, 45% sure things, 23% lost causes and 10% sleeping dogs.
    sharpness : float, default=1.0
        How sharply the features determine the type: a multiplier of the feature
        part of the logits. 1 is the calibrated world; larger values make types more
        predictable, 0 makes them independent of the features.
    risk_alignment : float, default=0.0
        How strongly churn risk and persuadability co-vary, in [-1, 1]. 0 is the
        calibrated world (persuadables are price-sensitive customers, partly at
        risk). Towards 1, persuadables take on the features of lost causes and
        sleeping dogs those of the other customers: the customers at risk are the
        ones an offer keeps, and targeting by churn risk approaches targeting by
        uplift. Towards -1, the reverse: sleeping dogs look like lost causes and
        persuadables look safe, so the customers at risk are those the contact
        drives away. Each type's logit is blended with the lost causes' on a common
        scale, keeping its spread (the type mix is solved again for each value).
    assignment : {"random", "tenure", "churn_risk"}, default="random"
        How the offer was given. ``"random"``: a randomized experiment. The others
        are a targeted historical campaign, as most retention teams have: each
        customer is contacted independently with a probability logistic in a
        standardized score, newer customers more often (``"tenure"``) or customers
        at higher churn risk without contact, P(y0 = 0 | x), more often
        (``"churn_risk"``): a slope of 1.5 per standard deviation of the score and
        an intercept solved so that the probabilities average ``treatment_share``,
        clipped to [0.05, 0.95]. The choice depends only on recorded features, so the
        logged probabilities (``extra["propensity"]``) correct the evaluation.
    outcome : {"retained", "revenue"}, default="retained"
        The outcome measured: ``"retained"`` (1 = still a customer) or
        ``"revenue"``, the monthly revenue kept (a continuous outcome, zero for
        customers who leave). The same ``random_state`` draws the same customers,
        types and treatment for both: the revenue world's ``extra["retained"]`` is
        the retained world's ``y``.
    random_state : int, numpy.random.Generator or None, default=None
        Draws the customers, their types and the treatment assignment.

    Returns
    -------
    UpliftDataset
        ``X`` (features only), ``y`` (1 = retained), ``treatment`` (1 = offer),
        the truth ``y0``, ``y1``, ``true_effect`` and ``customer_type``, and default
        ``costs`` for demos: a retained customer is worth $200 of margin, a call costs
        $10, and the offer costs $50, paid only by customers who stay
        (``incentive_paid="on_success"``). ``extra["type_probabilities"]`` holds each
        customer's type probabilities, ``extra["world"]`` the ``ChurnWorld`` whose
        ``type_probabilities(X)`` maps features to them, and
        ``extra["world_parameters"]`` the ``type_mix``, ``sharpness`` and
        ``risk_alignment`` that define it. ``extra["propensity"]`` holds each
        customer's probability of being contacted (``treatment_share`` for everyone
        with random assignment) and ``extra["assignment"]`` the ``assignment``.
        With ``outcome="revenue"``: ``y`` (``revenue_kept``), ``y0``, ``y1`` are
        monthly revenue kept, ``true_effect`` is ``monthly_spend`` times the
        retention effect, ``extra["retained"]`` the 0/1 retention, and ``costs``
        value a dollar of monthly revenue kept at 12 months of a 42% margin
        (``value_per_unit=5.04``, so an average customer kept is worth about the
        retained world's $200), a call $10 and the $50 offer at its expected cost
        per contact ($50 times the share of contacted customers who stay, $33.50
        with the default type mix), paid on contact.

    Examples
    --------
    >>> from actionable.datasets import make_churn
    >>> data = make_churn(1000, random_state=0)
    >>> data
    UpliftDataset(name='churn', n_samples=1000, n_features=14, with ground truth)
    >>> bool(((data.y == 1) == (data.treatment * data.y1 + (1 - data.treatment) * data.y0)).all())
    True
    >>> sorted(data.customer_type.unique())
    ['lost cause', 'persuadable', 'sleeping dog', 'sure thing']

    The same customers, measured in monthly revenue kept:

    >>> revenue = make_churn(1000, outcome="revenue", random_state=0)
    >>> bool((revenue.extra["retained"] == data.y).all())
    True
    >>> bool((revenue.y == data.y * data.X["monthly_spend"]).all())
    True
    >>> revenue.costs["value_per_unit"], revenue.costs["incentive_paid"]
    (5.04, 'on_contact')
    """
    check_integer(n_samples, "n_samples", minimum=1, message=_MSG_POSITIVE_INTEGER)
    open_unit = {"low": 0, "high": 1, "low_open": True, "high_open": True}
    check_number(treatment_share, "treatment_share", **open_unit, message=_MSG_SHARE)
    check_number(sharpness, "sharpness", low=0, message=_MSG_NON_NEGATIVE)
    risk_alignment = _check_risk_alignment(risk_alignment)
    if assignment not in ASSIGNMENTS:
        raise ValueError(
            f"assignment must be one of {', '.join(map(repr, ASSIGNMENTS))}; got {assignment!r}."
        )
    outcome = check_outcome(outcome)
    shares = _check_type_mix(type_mix)
    world = _solve_world(shares, _BASE_SHARPNESS * float(sharpness), risk_alignment)

    rng = np.random.default_rng(random_state)
    X = _draw_features(int(n_samples), rng)
    probabilities = world.type_probabilities(X)
    types = _categorical_draw(np.log(np.clip(probabilities, 1e-300, None)), rng)
    treatment, propensity = assign_treatment(
        assignment,
        treatment_share,
        rng,
        tenure=X["tenure_months"].to_numpy(np.float64),
        churn_risk=probabilities[:, 0] + probabilities[:, 2],  # P(y0 = 0 | x)
    )
    y0 = _Y0[types]
    y1 = _Y1[types]
    y = pd.Series(np.where(treatment == 1, y1, y0), name="retained")
    true_effect = probabilities[:, 0] - probabilities[:, 3]
    costs, description, extra = dict(DEFAULT_COSTS), DESCRIPTION, {}
    if outcome == "revenue":
        extra["retained"] = y.to_numpy()
        y, y0, y1, true_effect = revenue_outcomes(
            y.to_numpy(), y0, y1, X["monthly_spend"], true_effect
        )
        costs = revenue_costs(stay_if_contacted=shares[0] + shares[1])
        description = DESCRIPTION + REVENUE_DESCRIPTION
    return UpliftDataset(
        X=X,
        y=y,
        treatment=pd.Series(treatment, name="offer"),
        name="churn",
        description=description,
        y0=y0,
        y1=y1,
        true_effect=true_effect,
        customer_type=pd.Series(
            pd.Categorical.from_codes(types, categories=list(CUSTOMER_TYPES)),
            name="customer_type",
        ),
        costs=costs,
        terms="Synthetic data generated by actionable; no restrictions.",
        control_label=0,
        outcome_name=y.name,
        treatment_name="offer",
        extra={
            **extra,
            "type_probabilities": probabilities,
            "world": world,
            "world_parameters": {
                "type_mix": dict(zip(CUSTOMER_TYPES, shares, strict=True)),
                "sharpness": float(sharpness),
                "risk_alignment": risk_alignment,
            },
            "propensity": propensity,
            "assignment": assignment,
            "outcome": outcome,
        },
    )
