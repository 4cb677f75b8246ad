"""Pilot design: how big a randomized pilot must be, and what it costs.

Before any uplift model there must be a randomized experiment: some customers
contacted at random (treated), others not (control). :func:`design_pilot` sizes one
from what a team knows before it starts (the favourable-outcome rate today, the
smallest uplift worth acting on, the costs, the number of customers) for three
purposes:

(a) **detect the average uplift**: a two-sided test of the difference of two
    proportions, normal approximation, equal arms (:func:`holdout_size`);
(b) **train an uplift model that beats random targeting** with a stated probability,
    by simulation on a ``make_churn`` world with the same base rate and average
    uplift (:mod:`actionable.production._pilot_simulation`);
(c) **monitor the campaign** that follows: the control holdout that tells its uplift
    from zero (:func:`holdout_size` with the campaign's contacts as the treated rows);

and prices the pilot under a :class:`~actionable.economics.CostModel`.

The design is for a **binary outcome** (a rate and an uplift in points): a cost model of
a continuous outcome (``value_per_unit``) is refused with a message that says so.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from actionable._format import percent
from actionable._validation import check_integer, check_number
from actionable.economics import CostModel
from actionable.production._defaults import DEFAULT_INCENTIVE_PAID
from actionable.production._pilot_simulation import (
    DEFAULT_GRID,
    POPULATION_SAMPLE,
    SLEEPING_DOGS_PER_PERSUADABLE,
    simulate_pilots,
    world_type_mix,
)
from actionable.production._progress import Progress
from actionable.production._uplift_interval import holdout_size


@dataclass(frozen=True)
class PilotDesign:
    """The size of a randomized pilot for three purposes, and its cost.

    Built by :func:`design_pilot`; :func:`describe_pilot` prints it and
    :meth:`to_dict` makes it JSON.

    Parameters
    ----------
    base_rate, min_uplift : float
        Favourable-outcome rate without contact, and the smallest uplift worth
        detecting (also the uplift assumed for the cost and the simulated world).
    population : int
        Customers the campaign will choose from.
    confidence_level, power, success_probability : float
        ``1 - alpha`` of the tests, their power, and the probability that the model
        beats random targeting that (b) asks for.
    min_gain_share : float
        The share of perfect targeting's gain over random targeting that the model
        had to add in (b); 0: beating random targeting was enough.
    detect_per_arm : int
        (a) Treated rows, and as many control rows, that detect ``min_uplift``.
    model_per_arm : int or None
        (b) The smallest size per arm of the grid whose simulated pilots beat random
        targeting with ``success_probability``; ``None`` when none did (or nothing
        was simulated).
    model_grid : tuple of GridPoint
        The sizes tried for (b), in order: ``n_per_arm``, ``simulations``,
        ``successes``, ``probability`` with its Wilson interval ``low``, ``high``,
        ``mean_gain`` (what the campaign earns more than random targeting when the
        pilot's model chooses whom to contact, averaged over the pilots) and
        ``oracle_gain`` (the same for perfect targeting); both in money under the
        costs (incremental successes without), for the whole population.
    campaign_size : int
        Contacts of the campaign: the capacity, else ``treated_share`` of the population.
    holdout : int or None
        (c) Control rows the campaign needs; ``None`` when the campaign is too small for
        any holdout to detect ``min_uplift``.
    pilot_per_arm : int
        The pilot: the larger of (a) and (b), per arm.
    world : dict
        The simulated world: ``make_churn``'s ``type_mix``, ``sharpness`` and
        ``risk_alignment``.
    criterion : str
        What a simulated pilot had to achieve to count as a success, in words.
    costs : CostModel or None
        The costs; ``None`` states the pilot in rows only.
    spend, value, net_cost : float or None
        The treated arm's contact and incentive costs, the expected value of its
        incremental successes at ``min_uplift``, and ``spend - value``.
    notes : tuple of str
        What the user should know (a pilot larger than the population, ...).
    """

    base_rate: float
    min_uplift: float
    population: int
    confidence_level: float
    power: float
    success_probability: float
    min_gain_share: float
    detect_per_arm: int
    model_per_arm: int | None
    model_grid: tuple
    campaign_size: int
    holdout: int | None
    pilot_per_arm: int
    world: dict
    criterion: str
    costs: CostModel | None
    spend: float | None
    value: float | None
    net_cost: float | None
    notes: tuple = ()

    @property
    def pilot_rows(self):
        """Customers in the pilot, both arms."""
        return 2 * self.pilot_per_arm

    def to_dict(self):
        """Return the design as a JSON-serializable dict.

        Returns
        -------
        dict
            Every field; ``costs`` as ``CostModel.to_dict()``, ``model_grid`` as a list
            of dicts, plus ``pilot_rows``.

        Examples
        --------
        >>> from actionable.production import design_pilot
        >>> document = design_pilot(0.5, 0.05, 10_000, n_simulations=0).to_dict()
        >>> document["detect_per_arm"], document["pilot_rows"], document["costs"]
        (1562, 3124, None)
        """
        document = {name: getattr(self, name) for name in self.__dataclass_fields__}
        document["model_grid"] = [point._asdict() for point in self.model_grid]
        document["costs"] = None if self.costs is None else self.costs.to_dict()
        document["notes"] = list(self.notes)
        document["pilot_rows"] = self.pilot_rows
        return document


def _check_number(value, name, low, high, *, closed_low=False):
    return check_number(
        value, f"`{name}`", low=low, high=high, low_open=not closed_low, high_open=True
    )


def _check_count(value, name, minimum):
    return check_integer(value, f"`{name}`", minimum=minimum)


def _check_grid(grid, population):
    sizes = [_check_count(size, "grid", 1) for size in (DEFAULT_GRID if grid is None else grid)]
    if sizes != sorted(set(sizes)):
        raise ValueError(f"`grid`={list(grid)!r}: the sizes must be increasing.")
    return [size for size in sizes if 2 * size <= population]


def _check_rates(base_rate, min_uplift):
    """``(base_rate, min_uplift)`` as floats: two rates whose sum is a rate too."""
    base_rate = _check_number(base_rate, "base_rate", 0, 1)
    min_uplift = _check_number(min_uplift, "min_uplift", 0, 1)
    if base_rate + min_uplift >= 1:
        raise ValueError(
            f"`min_uplift`={min_uplift!r}: base_rate + min_uplift must be below 1 (a rate); "
            f"got {base_rate + min_uplift:.4g}."
        )
    return base_rate, min_uplift


def _check_world(sharpness, risk_alignment, sleeping_dog_ratio):
    check_number(sharpness, "`sharpness`", low=0, message="{name}={value!r}: it must be >= 0.")
    check_number(risk_alignment, "`risk_alignment`", low=-1, high=1)
    return _check_number(sleeping_dog_ratio, "sleeping_dog_ratio", 0, 1)


_MSG_BINARY_ONLY = (
    "design_pilot sizes a pilot for a binary outcome (a favourable-outcome rate "
    "`base_rate` and an uplift in points `min_uplift`); a continuous outcome "
    "(`value_per_unit`) is not supported: size its pilot from the outcome's standard "
    "deviation (rows per arm = 2 (z_alpha/2 + z_beta)^2 sd^2 / min_uplift^2)."
)


def _cost_model(costs):
    """``costs`` as a ``CostModel``: a dict's ``None`` values are unset (command-line flags).

    A cost model of a continuous outcome (``value_per_unit``) is refused: the design is
    for binary outcomes.
    """
    if isinstance(costs, CostModel) and costs.per_unit:
        raise ValueError(_MSG_BINARY_ONLY)
    if costs is None or isinstance(costs, CostModel):
        return costs
    if not isinstance(costs, Mapping):
        raise ValueError(f"`costs` must be a CostModel, a dict or None; got {costs!r}.")
    given = {name: value for name, value in costs.items() if value is not None}
    if "value_per_unit" in given:
        raise ValueError(_MSG_BINARY_ONLY)
    if not given:
        return None
    if "value_per_success" not in given:
        raise ValueError(f"`value_per_success` is required with the costs {sorted(given)}.")
    return CostModel.from_dict({"incentive_paid": DEFAULT_INCENTIVE_PAID, **given})


def _campaign_size(costs, treated_share, population):
    capacity = None if costs is None else costs.capacity_count(population)
    if capacity is None:
        size = round(treated_share * population)
    else:
        size = round(min(capacity, population))
        if size >= population:
            raise ValueError(
                f"`capacity`={costs.capacity!r} contacts the whole population of {population:,}: "
                "a campaign that contacts everyone needs no targeting model."
            )
    if size < 1:
        name, value = (
            ("treated_share", treated_share) if capacity is None else ("capacity", costs.capacity)
        )
        raise ValueError(f"`{name}`={value!r} of a population of {population:,} contacts nobody.")
    return size


def _criterion(share, costs, min_gain_share):
    measure = "in money" if costs is not None else "in incremental successes"
    text = (
        f"the model's top {percent(share, 1)} of a {POPULATION_SAMPLE:,}-customer sample of "
        f"the world earns more than {percent(share, 1)} drawn at random ({measure})"
    )
    if min_gain_share > 0:
        text += f", by at least {percent(min_gain_share)} of what perfect targeting adds"
    return text


def _notes(population, pilot_per_arm, campaign_size, holdout, min_uplift):
    notes = []
    if 2 * pilot_per_arm > population:
        notes.append(
            f"the pilot ({2 * pilot_per_arm:,} customers) is larger than the population "
            f"({population:,})."
        )
    if holdout is None:
        notes.append(
            f"(c) a campaign of {campaign_size:,} contacts is too small for any holdout to "
            f"detect an uplift of {min_uplift:g}."
        )
    elif campaign_size + holdout > population:
        notes.append(
            f"(c) the campaign and its holdout ({campaign_size + holdout:,} customers) exceed "
            f"the population ({population:,})."
        )
    return notes


def _model_size(
    world, sizes, *, costs, campaign_share, population, target, min_gain_share, n_simulations,
    confidence_level, n_jobs, random_state, progress,
):  # fmt: skip
    """(b) by simulation: ``(points, found, notes)``, ``found`` the smallest size that succeeds.

    ``found`` is None, with a note saying why, when nothing was simulated or no size of
    ``sizes`` reached the ``target`` success probability.
    """
    if n_simulations == 0:
        return (), None, ["(b) was not simulated (n_simulations=0)."]
    if not sizes:
        note = "(b) was not simulated: every pilot size of the grid exceeds the population."
        return (), None, [note]
    progress = progress if isinstance(progress, Progress) else Progress(enabled=bool(progress))
    points, found = simulate_pilots(
        world, cost_model=costs, campaign_share=campaign_share,
        population_size=population, grid=sizes,
        target=target, min_gain_share=min_gain_share, n_simulations=n_simulations,
        confidence_level=confidence_level, n_jobs=n_jobs,
        random_state=random_state, progress=progress,
    )  # fmt: skip
    notes = []
    if found is None:
        notes.append(
            f"(b) no pilot of up to {sizes[-1]:,} per arm reached a success probability of "
            f"{percent(target)}: the pilot is sized for (a) only."
        )
    return points, found, notes


def _pilot_cost(costs, pilot_per_arm, p_treated, min_uplift):
    """``(spend, value, net_cost)`` of the pilot's treated arm (the control arm costs nothing).

    All None without costs.
    """
    if costs is None:
        return None, None, None
    successes = pilot_per_arm * p_treated
    spend = costs.contact_cost(pilot_per_arm, successes)
    value = costs.value_per_success * min_uplift * pilot_per_arm
    net_cost = -costs.profit(pilot_per_arm, min_uplift * pilot_per_arm, successes)
    return spend, value, net_cost


def design_pilot(
    base_rate,
    min_uplift,
    population,
    *,
    costs=None,
    treated_share=0.3,
    power=0.8,
    confidence_level=0.95,
    success_probability=0.8,
    min_gain_share=0.0,
    n_simulations=40,
    grid=None,
    sharpness=1.0,
    risk_alignment=0.0,
    sleeping_dog_ratio=SLEEPING_DOGS_PER_PERSUADABLE,
    n_jobs=None,
    random_state=0,
    progress=False,
):
    """Size a randomized pilot: to detect the uplift, to train a model, to monitor; and its cost.

    (a) **Detect the average uplift**: the rows per arm (equal arms) for a two-sided
    test at ``1 - confidence_level`` to detect ``min_uplift`` from a control rate of
    ``base_rate`` with probability ``power``: :func:`holdout_size`, the textbook
    normal-approximation formula [1]_.

    (b) **Train an uplift model that beats random targeting** with probability
    ``success_probability``, by simulation (see Notes): the smallest per-arm size of
    ``grid`` whose simulated pilots reach it.

    (c) **Monitor the campaign**: the control rows needed to tell ``min_uplift`` from
    zero when the campaign contacts ``campaign_size`` customers (:func:`holdout_size`
    with ``n_treated=campaign_size``). Conservative when the model targets customers
    whose uplift is above the average.

    The pilot is the larger of (a) and (b). Under ``costs``, its cost is the spend on
    the treated arm (contacts, and incentives at a success rate of ``base_rate +
    min_uplift`` when paid on success) less the expected value of its incremental
    successes at ``min_uplift``; the control arm costs nothing.

    Parameters
    ----------
    base_rate : float
        Favourable-outcome rate without contact (e.g. 0.80 of customers stay), in (0, 1).
    min_uplift : float
        Smallest average uplift worth detecting (absolute, e.g. 0.03 = 3 points); also
        the uplift assumed for the cost and the simulated world.
    population : int
        Customers the campaign will choose from.
    costs : CostModel or dict, default=None
        Value of a success, costs and capacity; ``None`` states the pilot in rows only.
        Its budget is not used. A dict holds ``CostModel`` fields; its ``None`` values
        are unset, and ``incentive_paid`` defaults to ``DEFAULT_INCENTIVE_PAID``.
    treated_share : float, default=0.3
        Share of the population the campaign contacts, when ``costs`` has no capacity.
    power : float, default=0.8
        Probability that the tests of (a) and (c) detect ``min_uplift``.
    confidence_level : float, default=0.95
        ``1 - alpha`` of the two-sided tests; also the coverage of the Wilson intervals
        of (b)'s success probabilities.
    success_probability : float, default=0.8
        Probability that a model trained on the pilot beats random targeting, for (b).
    min_gain_share : float, default=0.0
        For (b), how much better than random the model must be: the share, in [0, 1),
        of what perfect targeting adds over random targeting that it must add. 0 asks
        only that it beat random targeting.
    n_simulations : int, default=40
        Pilots simulated per size at most (a size stops earlier once clearly above or
        below the target); 0 skips (b).
    grid : sequence of int, default=None
        Increasing per-arm sizes tried for (b); ``None``: 100 to 51,000 in steps of
        about sqrt(2). Sizes above half the population are dropped.
    sharpness, risk_alignment : float, default=1.0, 0.0
        The simulated world's ``make_churn`` parameters: how much the features say
        about each customer's type, and how churn risk lines up with persuadability.
    sleeping_dog_ratio : float, default=10/22
        Sleeping dogs per persuadable in the simulated world, in (0, 1).
    n_jobs : int, default=None
        Threads of each model fit (``None``: 1; -1: all cores).
    random_state : int, default=0
        Seeds the simulation.
    progress : bool or Progress, default=False
        Report the simulation (``True``: on stderr).

    Returns
    -------
    PilotDesign

    Raises
    ------
    ValueError
        One line naming the parameter: a rate outside (0, 1), ``base_rate +
        min_uplift`` not below 1, a world that cannot have that uplift, a campaign
        that contacts everyone or nobody.

    See Also
    --------
    describe_pilot : The design in a few lines of text.
    holdout_size : The sample-size formula of (a) and (c).

    Notes
    -----
    The world of (b) is a ``make_churn`` world whose type shares reproduce the base
    rate (sure things + sleeping dogs) and the average uplift (persuadables -
    sleeping dogs), with ``sleeping_dog_ratio`` sleeping dogs per persuadable.
    Each pilot of the grid's size (as many treated as control customers) trains
    the default :class:`~actionable.models.TLearner`, which scores a sample of
    20,000 customers of the same world. The campaign contacts ``campaign_size /
    population`` of them; the pilot succeeds when the model's top share earns more
    than the same share drawn at random, measured exactly from the world's truth: in
    money under ``costs``, in incremental successes without. The answer holds for
    that world: on real data, whose features may say less about who responds, a
    larger pilot may be needed (try a lower ``sharpness``).

    References
    ----------
    .. [1] Fleiss, J. L., Levin, B. and Paik, M. C. (2003). *Statistical Methods for
       Rates and Proportions*, 3rd ed., Wiley, ch. 4.

    Examples
    --------
    >>> from actionable.economics import CostModel
    >>> from actionable.production import design_pilot
    >>> costs = CostModel(200.0, cost_per_contact=10.0, incentive_cost=50.0,
    ...                   incentive_paid="on_success")
    >>> design = design_pilot(0.80, 0.03, 100_000, costs=costs, grid=[140, 400],
    ...                       n_simulations=10)
    >>> design.detect_per_arm, design.model_per_arm, design.holdout
    (2626, 400, 1456)
    >>> [(point.n_per_arm, point.successes, point.simulations) for point in design.model_grid]
    [(140, 0, 10), (400, 10, 10)]

    The treated arm's 2,626 calls cost $10 each, and the offer ($50) goes to the 83%
    who stay; the 3-point uplift is worth 0.03 * 2,626 * $200:

    >>> design.spend, design.value, design.net_cost
    (135239.0, 15756.0, 119483.0)
    """
    base_rate, min_uplift = _check_rates(base_rate, min_uplift)
    population = _check_count(population, "population", 2)
    costs = _cost_model(costs)
    probabilities = {
        name: _check_number(value, name, 0, 1)
        for name, value in (("treated_share", treated_share), ("power", power),
                            ("confidence_level", confidence_level),
                            ("success_probability", success_probability))
    }  # fmt: skip
    min_gain_share = _check_number(min_gain_share, "min_gain_share", 0, 1, closed_low=True)
    n_simulations = _check_count(n_simulations, "n_simulations", 0)
    sizes = _check_grid(grid, population)
    ratio = _check_world(sharpness, risk_alignment, sleeping_dog_ratio)
    world = {
        "type_mix": world_type_mix(base_rate, min_uplift, ratio),
        "sharpness": float(sharpness),
        "risk_alignment": float(risk_alignment),
    }
    campaign_size = _campaign_size(costs, probabilities["treated_share"], population)
    p_treated = base_rate + min_uplift
    tests = {
        "detectable_uplift": min_uplift,
        "confidence_level": probabilities["confidence_level"],
        "power": probabilities["power"],
    }
    detect = holdout_size(base_rate, p_treated, **tests)
    holdout = holdout_size(base_rate, p_treated, n_treated=campaign_size, **tests)

    target = probabilities["success_probability"]
    points, found, notes = _model_size(
        world, sizes, costs=costs, campaign_share=campaign_size / population,
        population=population, target=target, min_gain_share=min_gain_share,
        n_simulations=n_simulations, confidence_level=probabilities["confidence_level"],
        n_jobs=n_jobs, random_state=random_state, progress=progress,
    )  # fmt: skip
    model_per_arm = None if found is None else found.n_per_arm
    pilot_per_arm = max(detect, model_per_arm or 0)
    notes += _notes(population, pilot_per_arm, campaign_size, holdout, min_uplift)
    spend, value, net_cost = _pilot_cost(costs, pilot_per_arm, p_treated, min_uplift)
    return PilotDesign(
        base_rate=base_rate, min_uplift=min_uplift, population=population,
        confidence_level=probabilities["confidence_level"], power=probabilities["power"],
        success_probability=target, min_gain_share=min_gain_share, detect_per_arm=detect,
        model_per_arm=model_per_arm, model_grid=points, campaign_size=campaign_size,
        holdout=holdout, pilot_per_arm=pilot_per_arm, world=world,
        criterion=_criterion(campaign_size / population, costs, min_gain_share), costs=costs,
        spend=spend, value=value, net_cost=net_cost, notes=tuple(notes),
    )  # fmt: skip
