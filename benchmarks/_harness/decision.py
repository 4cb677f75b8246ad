"""Decision track: the money each model's deployed targeting rule makes on held-out rows.

The Qini tracks rank scores; a campaign is judged by the profit of the contacts it makes.
On each split (the quality tracks' stratified 70/30 splits) every model deploys a rule on
the training part and the rule's contacts are scored, in money, on the held-out part:

* actionable: ``production.fit_model(learner=...)`` exactly as ``actionable fit`` runs it
  (cross-fitted predictions choose the rule's expected-profit threshold; ``auto`` also
  chooses the learner by cross-fitted profit), then ``SavedModel.score``'s ``target``;
* every other model (peers and the naive outcome model), **the same rule**: out-of-fold
  predictions over the same number of folds (``production._fit.N_FOLDS``, stratified on
  treatment x outcome) choose the threshold with ``production.choose_targeting_rule``, the
  model is refitted on the whole training part, and the rows whose expected profit is above
  the threshold are contacted.

The profit of the contacts is measured on the randomized held-out rows
(``production.rule_profit``: treated rows among the contacted estimate what contacting
them gives, control rows what leaving them alone gives), relative to contacting nobody.
Differences between models are paired over the same splits with the corrected resampled
t interval (``stats.paired_difference``).
"""

import time

import numpy as np

from _harness.isolation import fit_predict_isolated
from _harness.models import PEER_LIBRARIES, availability
from _harness.stats import paired_difference, summarize
from _harness.tasks import stratified_splits

ACTIONABLE_LEARNERS = ("auto", "s", "t", "x", "dr", "ct")
ECONOMICS = {
    # The Starbucks exercise's own economics; Hillstrom's illustrative ones (load_hillstrom).
    "starbucks_purchase": {"value_per_success": 10.0, "cost_per_contact": 0.15},
    "hillstrom_womens_visit": {"value_per_success": 2.0, "cost_per_contact": 0.10},
    "hillstrom_mens_visit": {"value_per_success": 2.0, "cost_per_contact": 0.10},
}


def _frame(X, y=None, treatment=None):
    import pandas as pd

    frame = pd.DataFrame(X, columns=[f"x{index}" for index in range(X.shape[1])])
    if treatment is not None:
        frame["treatment"] = np.asarray(treatment, dtype=np.int64)
        frame["y"] = np.asarray(y, dtype=np.int64)
    return frame


class _ActionableDeployment:
    """``actionable fit`` (``production.fit_model``) on the training rows; predicts contacts."""

    def __init__(self, learner, costs, seed):
        self.learner, self.costs, self.seed = learner, costs, seed

    def fit(self, X, y, treatment):
        from actionable.decision import DecisionCard
        from actionable.production import ColumnRoles, fit_model

        roles = ColumnRoles("treatment", "1", "y")
        self.model_ = fit_model(
            _frame(X, y, treatment),
            roles,
            card=DecisionCard(**self.costs),
            learner=self.learner,
            random_state=self.seed,
        )
        training = self.model_.documents["training"]
        self.details_ = {"learner": self.model_.learner_name}
        by_profit = training.get("selection_by_profit") or {}
        if by_profit.get("chosen"):
            self.details_["chosen"] = by_profit["chosen"]
            self.details_["by_learner"] = by_profit["by_learner"]
        return self

    def predict(self, X):
        return self.model_.score(_frame(X))["target"].to_numpy(dtype=np.float64)


class _RuleDeployment:
    """Any model under actionable's rule: threshold chosen on out-of-fold expected profits."""

    def __init__(self, spec, costs, seed, framing):
        self.spec, self.costs, self.seed, self.framing = spec, costs, seed, framing

    def fit(self, X, y, treatment):
        from sklearn.model_selection import StratifiedKFold

        from actionable.economics import CostModel
        from actionable.production import choose_targeting_rule
        from actionable.production._fit import N_FOLDS

        strata = 2 * np.asarray(treatment, dtype=np.int64) + np.asarray(y, dtype=np.int64)
        folds = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=self.seed)
        held_out = np.empty(y.size)
        for train, test in folds.split(X, strata):
            model = self.spec.build(framing=self.framing).fit(X[train], y[train], treatment[train])
            held_out[test] = model.predict(X[test])
        self.rule_, _ = choose_targeting_rule(
            y, held_out, treatment, cost_model=CostModel(**self.costs), n_bootstraps=0
        )
        self.model_ = self.spec.build(framing=self.framing).fit(X, y, treatment)
        self.details_ = {"threshold": self.rule_.threshold}
        return self

    def predict(self, X):
        score = self.rule_.expected_profit(self.model_.predict(X))
        return self.rule_.select(score).astype(np.float64)


class DeployedSpec:
    """A model of the decision track: what ``fit_predict_isolated`` builds and runs."""

    def __init__(self, name, library, family, construction, make):
        self.name, self.library, self.family = name, library, family
        self.construction, self._make = construction, make

    def build(self, framing="response"):
        return self._make(framing)


def deployed_models(task_name, seed, models):
    """The decision track's models for one task and split: actionable's and, under its
    rule, every binary-outcome model of ``models`` (peers and the naive outcome model)."""
    costs = ECONOMICS[task_name]
    specs = []
    with_actionable = any(s.library == "actionable" and s.family != "outcome" for s in models)
    for code in ACTIONABLE_LEARNERS if with_actionable else ():
        name = "actionable auto" if code == "auto" else f"actionable fit --learner {code}"
        specs.append(
            DeployedSpec(
                name,
                "actionable",
                code,
                f"production.fit_model(learner={code!r}) and its saved rule",
                lambda framing, code=code: _ActionableDeployment(code, costs, seed),
            )
        )
    for spec in models:
        learner_of_ours = spec.library == "actionable" and spec.family != "outcome"
        if spec.outcome_type != "binary" or learner_of_ours:  # ours deploy through fit_model
            continue
        specs.append(
            DeployedSpec(
                spec.name,
                spec.library,
                spec.family,
                f"{spec.construction}; actionable's rule on out-of-fold expected profit",
                lambda framing, spec=spec: _RuleDeployment(spec, costs, seed, framing),
            )
        )
    return specs


def _profit(y, treatment, contacts, costs):
    from actionable.economics import CostModel
    from actionable.production import rule_profit

    result = rule_profit(y, treatment, contacts, CostModel(**costs), n_bootstraps=1)
    return result["profit"], result["n_contacted"]


def run_decision_task(task, *, n_splits, test_size, split_seed, budget_seconds, models, log=print):
    """Every model's deployed rule on every split of one task; the JSON-ready record."""
    costs = ECONOMICS[task.name]
    splits = stratified_splits(task, n_splits, test_size, split_seed)
    records = {}
    unavailable = {}
    for index, (train, test) in enumerate(splits):
        for spec in deployed_models(task.name, index, models):
            record = records.setdefault(spec.name, _new_record(spec))
            if record["status"] != "ok":
                continue
            if spec.library not in unavailable:
                unavailable[spec.library] = availability(spec.library)
            if unavailable[spec.library] is not None:
                record["status"], record["error"] = "not installed", unavailable[spec.library]
                continue
            started = time.perf_counter()
            result = fit_predict_isolated(
                spec,
                task.X[train],
                task.y[train],
                task.treatment[train],
                task.X[test],
                timeout=budget_seconds,
                framing=task.framing,
            )
            if result["status"] != "ok":
                record["status"] = "skipped" if result["status"] == "timeout" else "error"
                record["error"] = f"{result['error']} (on split {index})"
                continue
            profit, contacted = _profit(task.y[test], task.treatment[test], result["score"], costs)
            record["per_split"]["profit"].append(profit)
            record["per_split"]["contacted"].append(contacted)
            record["per_split"]["seconds"].append(time.perf_counter() - started)
            if result.get("details"):
                record["details"].append(result["details"])
    for name, record in records.items():
        if record["status"] == "ok":
            record["summary"] = {
                key: summarize(values) for key, values in record["per_split"].items()
            }
            profit = record["summary"]["profit"]
            log(f"  {name:<40} profit {profit['mean']:10.2f} ± {profit['sd'] or 0:8.2f}")
        else:
            log(f"  {name:<40} {record['error']}")
    ordered = list(records.values())
    return {
        **task.summary(),
        "costs": costs,
        "n_splits": n_splits,
        "test_size": test_size,
        "split_seed": split_seed,
        "n_test": len(splits[0][1]),
        "n_train": len(splits[0][0]),
        "budget_seconds_per_fit": budget_seconds,
        "models": ordered,
        "paired": paired_against_auto(ordered, test_size),
        "criteria": criteria(ordered),
    }


def _new_record(spec):
    return {
        "model": spec.name,
        "library": spec.library,
        "family": spec.family,
        "construction": spec.construction,
        "status": "ok",
        "error": None,
        "per_split": {"profit": [], "contacted": [], "seconds": []},
        "details": [],
    }


def _complete(records):
    return [r for r in records if r["status"] == "ok" and r["per_split"]["profit"]]


def paired_against_auto(records, test_size):
    """``actionable auto`` minus every other model, over the same splits."""
    complete = {r["model"]: r for r in _complete(records)}
    auto = complete.get("actionable auto")
    if auto is None:
        return []
    rows = []
    for name, record in complete.items():
        if name == "actionable auto":
            continue
        difference = paired_difference(
            auto["per_split"]["profit"], record["per_split"]["profit"], test_fraction=test_size
        )
        if difference is not None:
            rows.append({"model": name, "library": record["library"], **difference})
    return rows


def criteria(records):
    """Issue 23's bars: auto >= best single actionable learner - its sd; auto > every peer."""
    complete = {r["model"]: r["summary"]["profit"] for r in _complete(records)}
    auto = complete.get("actionable auto")
    if auto is None:
        return None
    singles = {
        name: summary
        for name, summary in complete.items()
        if name.startswith("actionable fit --learner")
    }
    peers = {
        r["model"]: r["summary"]["profit"]
        for r in _complete(records)
        if r["library"] in PEER_LIBRARIES
    }
    best_single = max(singles, key=lambda name: singles[name]["mean"], default=None)
    best_peer = max(peers, key=lambda name: peers[name]["mean"], default=None)
    result = {"auto_mean": auto["mean"], "best_single": best_single, "best_peer": best_peer}
    if best_single is not None:
        bar = singles[best_single]["mean"] - (singles[best_single]["sd"] or 0.0)
        result.update(best_single_bar=bar, auto_within_best_single=auto["mean"] >= bar)
    if best_peer is not None:
        result.update(
            best_peer_mean=peers[best_peer]["mean"],
            auto_above_every_peer=auto["mean"] > peers[best_peer]["mean"],
        )
    return result


def _money(value):
    return "—" if value is None else f"{value:,.1f}"


def decision_section(record):
    """Markdown: per task, each model's held-out profit and ``auto`` minus it, paired."""
    out = [
        "Profit of each model's deployed rule on the held-out 30% of each split, in the "
        "task's currency, relative to contacting nobody (mean ± sd over splits; "
        "`production.rule_profit` on the randomized held-out rows). actionable's rows are "
        "`actionable fit` itself (`production.fit_model`, its cross-fitted rule; `auto` "
        "also chooses the learner by cross-fitted profit); every other model gets the same "
        "rule: the expected-profit threshold that maximizes the profit measured on its "
        "out-of-fold predictions over the same 5 folds, then a refit on the whole training "
        "part. Economics: "
        + "; ".join(
            f"{name}: ${costs['value_per_success']:g} a success, "
            f"${costs['cost_per_contact']:g} a contact"
            for name, costs in record.get("economics", ECONOMICS).items()
        )
        + "."
    ]
    for task in record["tasks"]:
        paired = {row["model"]: row for row in task["paired"]}
        rows = []
        for model in task["models"]:
            if model["status"] != "ok" or not model["per_split"]["profit"]:
                rows.append([f"`{model['model']}`", model["library"], "—", "—", "—", "—",
                             str(model["error"])[:120].replace("|", "\\|")])  # fmt: skip
                continue
            profit = model["summary"]["profit"]
            contacted = model["summary"]["contacted"]["mean"]
            row = paired.get(model["model"])
            interval = (
                "—"
                if row is None
                else f"{_money(row['mean'])} [{_money(row['ci_low'])}, {_money(row['ci_high'])}]"
            )
            wins = "—" if row is None else f"{row['wins']}/{row['n_splits']}"
            chosen = sorted({d.get("chosen") for d in model["details"] if d.get("chosen")})
            note = f"chose {', '.join(chosen)}" if chosen else "ok"
            rows.append(
                [
                    f"`{model['model']}`",
                    model["library"],
                    f"{_money(profit['mean'])} ± {_money(profit['sd'])}",
                    f"{contacted:,.0f}",
                    interval,
                    wins,
                    note,
                ]
            )
        header = (
            "| model | library | held-out profit | contacted | auto minus it, 95% interval "
            "| auto wins | note |\n|---|---|---|---|---|---|---|"
        )
        table = "\n".join([header, *("| " + " | ".join(row) + " |" for row in rows)])
        criteria_line = ""
        bars = task.get("criteria")
        if bars:
            criteria_line = (
                f"\n\n`auto` {_money(bars['auto_mean'])}; best single learner "
                f"`{bars.get('best_single')}`, bar (its mean minus its sd) "
                f"{_money(bars.get('best_single_bar'))}: "
                f"{'met' if bars.get('auto_within_best_single') else 'not met'}; best peer "
                f"`{bars.get('best_peer')}` {_money(bars.get('best_peer_mean'))}: auto above "
                f"every peer {'yes' if bars.get('auto_above_every_peer') else 'no'}."
            )
        out.append(
            f"#### {task['task']}\n\n{task['description']}: {task['n_samples']:,} rows, "
            f"{task['n_splits']} stratified splits (train {task['n_train']:,}, test "
            f"{task['n_test']:,}); intervals: corrected resampled t (Nadeau & Bengio 2003) "
            f"over the paired splits.\n\n{table}{criteria_line}"
        )
    return "\n\n".join(out)
