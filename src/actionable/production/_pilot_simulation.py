"""The simulation behind :func:`design_pilot` (b): how big a pilot trains a useful model.

A pilot is useful for targeting when the uplift model trained on it ranks customers
better than chance. Whether it does depends on the learner, the pilot's size and on how
much the features say about who responds, which no formula captures: it is measured by
simulation on a ``make_churn`` world with the user's base rate and average uplift.

1. **The world.** ``make_churn``'s four customer types are shared so that the
   favourable-outcome rate without contact (sure things + sleeping dogs) is the base
   rate ``b`` and the average uplift (persuadables - sleeping dogs) is ``u``. Two
   equations for four shares summing to 1 leave one degree of freedom, fixed by the
   ratio ``r`` of sleeping dogs to persuadables (``make_churn``'s default world has
   10 for 22)::

       persuadable = u / (1 - r)      sleeping dog = r u / (1 - r)
       sure thing  = b - sleeping dog lost cause   = 1 - b - persuadable

2. **The population.** One sample of ``POPULATION_SAMPLE`` customers of that world
   (its own seed) stands for the customers the campaign will choose from; for each,
   the world's type probabilities give the exact expected outcomes without and with
   contact, hence what contacting them would earn.
3. **The pilots.** For each size of the grid, pilots of that many treated and as many
   control customers are drawn from the same world (other seeds), the default
   :class:`~actionable.models.TLearner` is fitted on each and scores the population.
4. **Success.** The campaign contacts a fixed share of the population, ranked by the
   model: by predicted uplift without costs, by expected profit under costs
   (``CostModel.profit`` of the predicted uplift and, for an incentive paid on
   success, the predicted success rate if contacted, as the targeting rule of
   :func:`fit_model` ranks). A pilot succeeds when this top share earns more than the
   same share drawn at random, both measured exactly on the population: in money
   under the costs, in incremental successes without. Contact costs are the same for
   both (same number of contacts); an incentive paid on success is not. With
   ``min_gain_share`` > 0 the model must add at least that share of what perfect
   targeting (ranking by the true expected profit) adds over random. Tied scores (a
   model too small to split the customers) are contacted at random within the tie,
   so a constant model never succeeds.
5. **Stopping.** Each size runs its pilots in batches of ``BATCH``; a size stops as
   soon as the interval of its success probability lies wholly above or below the
   target, else after all its pilots. Sizes are tried in increasing order until one
   reaches the target.
"""

import math
import time
from typing import NamedTuple

import numpy as np

from actionable.datasets import make_churn
from actionable.economics import CostModel, profit_curve_from_truth
from actionable.production._uplift_interval import two_sided_z, wilson_interval

SLEEPING_DOGS_PER_PERSUADABLE = 10 / 22
"""``make_churn``'s default world: 10% sleeping dogs for 22% persuadables."""
POPULATION_SAMPLE = 20_000
"""Customers of the world on which each pilot's model is judged (exact expected outcomes):
the gain over random targeting is then measured to well under 1% of its size."""
BATCH = 10
"""Pilots simulated before a size may stop early."""
DEFAULT_GRID = tuple(int(float(f"{100 * 2 ** (i / 2):.2g}")) for i in range(19))
"""Per-arm pilot sizes tried by default: a geometric grid of ratio sqrt(2), rounded to two
significant figures, from 100 to 51,000. The default learner's leaves need 100 rows and it
holds out a fifth of each arm, so below about 250 per arm it predicts one constant."""


class GridPoint(NamedTuple):
    """The simulated pilots of one size: how often they succeeded, and what their model earned.

    ``probability = successes / simulations``, with its Wilson interval ``low``, ``high``.
    ``mean_gain``: what the campaign earns more than random targeting when the pilot's
    model chooses whom to contact, averaged over the pilots; ``oracle_gain``: the same for
    perfect targeting. Both in money under the costs (incremental successes without), for
    a campaign on the whole population.
    """

    n_per_arm: int
    simulations: int
    successes: int
    probability: float
    low: float
    high: float
    mean_gain: float
    oracle_gain: float


def world_type_mix(base_rate, uplift, sleeping_dog_ratio=SLEEPING_DOGS_PER_PERSUADABLE):
    """Customer-type shares of a ``make_churn`` world with this base rate and average uplift.

    Parameters
    ----------
    base_rate : float
        Favourable-outcome rate without contact (sure things + sleeping dogs).
    uplift : float
        Average uplift (persuadables - sleeping dogs); > 0.
    sleeping_dog_ratio : float, default=10/22
        Sleeping dogs per persuadable, in (0, 1).

    Returns
    -------
    dict
        ``make_churn``'s ``type_mix``.

    Raises
    ------
    ValueError
        When no such world exists (a share would not be positive).
    """
    persuadable = uplift / (1 - sleeping_dog_ratio)
    sleeping_dog = sleeping_dog_ratio * persuadable
    mix = {
        "persuadable": persuadable,
        "sure thing": base_rate - sleeping_dog,
        "lost cause": 1 - base_rate - persuadable,
        "sleeping dog": sleeping_dog,
    }
    if mix["lost cause"] <= 0 or mix["sure thing"] <= 0:
        what, room = (
            (f"{persuadable:.1%} persuadables", f"the {1 - base_rate:.1%} unfavourable")
            if mix["lost cause"] <= 0
            else (f"{sleeping_dog:.1%} sleeping dogs", f"the {base_rate:.1%} favourable")
        )
        raise ValueError(
            f"`min_uplift`={uplift!r} with `base_rate`={base_rate!r}: a world with "
            f"{sleeping_dog_ratio:.3g} sleeping dogs per persuadable needs {what}, more than "
            f"{room} outcomes without contact; lower `sleeping_dog_ratio` or `min_uplift`."
        )
    return mix


class _Population:
    """A large sample of the world, with what contacting each customer would earn exactly."""

    def __init__(self, world, cost_model, share, seed):
        sample = make_churn(POPULATION_SAMPLE, **world, random_state=seed)
        probabilities = sample.extra["type_probabilities"]  # persuadable, sure, lost, dog
        self.X = sample.X
        self.y0 = probabilities[:, 1] + probabilities[:, 3]
        self.y1 = probabilities[:, 0] + probabilities[:, 1]
        self.cost_model = cost_model
        self.n_contacts = share * POPULATION_SAMPLE
        per_row = cost_model.profit(1, self.y1 - self.y0, self.y1)
        self.random = share * float(per_row.sum())
        best_first = np.concatenate(([0.0], np.cumsum(np.sort(per_row)[::-1])))
        self.oracle = float(np.interp(self.n_contacts, np.arange(best_first.size), best_first))

    def score(self, model):
        """The model's ranking of the population: expected profit (uplift without costs)."""
        outcomes = model.predict_outcomes(self.X)  # P(y=1) without and with contact
        return self.cost_model.profit(1, outcomes[:, 1] - outcomes[:, 0], outcomes[:, 1])

    def gain(self, score):
        """What the top share by ``score`` earns more than the same share drawn at random."""
        n_targeted, profit = profit_curve_from_truth(
            self.y0, self.y1, score, cost_model=self.cost_model
        )
        return float(np.interp(self.n_contacts, n_targeted, profit)) - self.random


def _interval(successes, n, z):
    """Wilson's interval of a success probability, exact 0 and 1 at the ends."""
    low, high = wilson_interval(successes, n, z)
    return (0.0 if successes == 0 else low), (1.0 if successes == n else high)


def simulate_pilots(
    world,
    *,
    cost_model,
    campaign_share,
    population_size,
    grid,
    target,
    min_gain_share,
    n_simulations,
    confidence_level,
    n_jobs,
    random_state,
    progress,
):
    """Try pilot sizes in increasing order until one trains a model that beats random targeting.

    Returns the tried sizes as :class:`GridPoint` and the first that reached ``target``
    (``None`` if none did).
    """
    from actionable.models import TLearner

    rng = np.random.default_rng(random_state)
    population_seed = int(rng.integers(2**31))
    seeds = rng.integers(2**31, size=(len(grid), n_simulations))  # fixed, whatever stops early
    population = _Population(world, cost_model or CostModel(1.0), campaign_share, population_seed)
    oracle_gain = population.oracle - population.random
    # a constant model earns exactly what random targeting does, up to rounding
    tolerance = 1e-9 * max(1.0, abs(population.random), abs(population.oracle))
    threshold = min_gain_share * oracle_gain + tolerance
    scale = population_size / POPULATION_SAMPLE  # from the sample to the user's population
    z = two_sided_z(confidence_level)
    points = []
    for n_per_arm, size_seeds in zip(grid, seeds, strict=True):
        started, gains = time.perf_counter(), []
        bar = progress.counting(
            f"pilots of {n_per_arm:,} per arm", total=n_simulations, unit="pilots",
            at_least=0 if progress.interactive else math.inf,
        )  # fmt: skip
        with bar as count:
            for seed in size_seeds:
                pilot = make_churn(2 * n_per_arm, **world, random_state=int(seed))
                model = TLearner(random_state=int(seed), n_jobs=n_jobs)
                model.fit(pilot.X, pilot.y, pilot.treatment)
                gains.append(population.gain(population.score(model)))
                count(1)
                if len(gains) % BATCH == 0 or len(gains) == n_simulations:
                    successes = sum(gain > threshold for gain in gains)
                    low, high = _interval(successes, len(gains), z)
                    if low >= target or high < target:
                        break
        point = GridPoint(
            n_per_arm=int(n_per_arm),
            simulations=len(gains),
            successes=int(successes),
            probability=successes / len(gains),
            low=low,
            high=high,
            mean_gain=scale * float(np.mean(np.where(np.abs(gains) > tolerance, gains, 0))),
            oracle_gain=scale * oracle_gain,
        )
        points.append(point)
        progress.step(
            f"(b) {n_per_arm:,} per arm: {successes} of {len(gains)} simulated pilots "
            f"succeeded ({time.perf_counter() - started:.1f} s)"
        )
        if point.probability >= target:
            return tuple(points), point
    return tuple(points), None
