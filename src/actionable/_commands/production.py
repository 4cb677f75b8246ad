"""``actionable fit``, ``target``, ``evaluate`` and ``monitor``: from a notebook to production.

``fit`` trains on a randomized experiment and writes a model directory:

========================  ============================================================
``uplift_model.joblib``   the uplift learner, refitted on every row
``outcome_model.joblib``  the naive outcome model (for ``evaluate``'s paired report)
``schema.json``           column roles (treatment, outcome, id, dropped) and features
``rule.json``             the targeting rule and the held-out evidence that chose it
``training.json``         data fingerprint (sha256, rows, treated share, outcome rate),
                          cross-validated Qini of each learner tried
``drift_reference.json``  training distributions of every feature and of the score
``decision.toml``         the decision card, costs included
``versions.json``         package versions; ``manifest.json``: sha256 of every file
========================  ============================================================

Model choice and targeting rule are made out of sample by **cross-fitting**: the
rows are split into ``N_FOLDS`` folds stratified on treatment x outcome; each
learner is fitted on four folds and predicts the fifth, so every row gets a
prediction from a model that never saw it. ``--learner auto`` keeps the learner with
the best mean Qini coefficient over the folds. With costs, the expected profit of
each row is computed from its held-out prediction, and the threshold on expected
profit that maximizes the profit measured on the randomized outcomes becomes the
rule (``actionable.decision.choose_targeting_rule``). The chosen learner is then
refitted on all rows.

``evaluate`` needs the naive model's framing (``--framing``); by default "churn" when the
favourable outcome is the common one in training (retention; the naive score is the risk P(y=0)),
"response" otherwise (purchase, visit; the naive score is P(y=1)).
"""

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from actionable._commands._defaults import DEFAULT_INCENTIVE_PAID, LEARNERS, make_learner
from actionable.decision import DecisionCard, TargetingRule, choose_targeting_rule
from actionable.monitor import DriftReference, monitor_batch
from actionable.persist import (
    ColumnRoles,
    FeatureSchema,
    ModelIntegrityError,
    dumps_json,
    file_sha256,
    load_model_directory,
    read_table,
    save_model_directory,
    write_csv_atomically,
    write_text_atomically,
)

N_FOLDS = 5
CARD_FILE = "decision.toml"


# --------------------------------------------------------------------- helpers
def _progress(total, description, quiet):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, disable=quiet, file=sys.stderr, leave=False)


def _needs_outcomes(rule_or_card):
    paid = getattr(rule_or_card, "incentive_paid", None) or "on_contact"
    return paid == "on_success" and bool(getattr(rule_or_card, "incentive_cost", 0) or 0)


def _split_drop(text):
    if not text:
        return ()
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _card_for(args):
    """The decision card: --card, else DATA's folder/decision.toml, else empty; CLI wins."""
    path = Path(args.card) if getattr(args, "card", None) else Path(args.data).parent / CARD_FILE
    if getattr(args, "card", None) and not path.is_file():
        raise ValueError(f"decision card {str(path)!r} not found.")
    card = DecisionCard.from_toml(path) if path.is_file() else DecisionCard()
    card = card.updated(
        value_per_success=args.value_per_success,
        cost_per_contact=args.cost_per_contact,
        incentive_cost=args.incentive_cost,
        incentive_paid=args.incentive_paid,
        capacity=args.capacity,
    )
    if card.incentive_cost and card.incentive_paid is None:  # the commands' shared default
        card = card.updated(incentive_paid=DEFAULT_INCENTIVE_PAID)
    return card, (path if path.is_file() else None)


def _profit_asked(card):
    return any(
        value is not None
        for value in (
            card.value_per_success,
            card.cost_per_contact,
            card.incentive_cost,
            card.incentive_paid,
        )
    )


def _control_value(frame, roles, treatment):
    values = frame.loc[treatment == 0, roles.treatment]
    return str(values.iloc[0]) if len(values) else "?"


def _fingerprint(path, frame, y, treatment):
    rate_treated = float(y[treatment == 1].mean())
    rate_control = float(y[treatment == 0].mean())
    n_treated = int(treatment.sum())
    n_control = int(treatment.size - n_treated)
    return {
        "file": Path(path).name,
        "sha256": file_sha256(path),
        "bytes": Path(path).stat().st_size,
        "n_rows": int(len(frame)),
        "treated_share": float(treatment.mean()),
        "outcome_rate": float(y.mean()),
        "outcome_rate_treated": rate_treated,
        "outcome_rate_control": rate_control,
        "uplift": rate_treated - rate_control,
        "uplift_se": float(
            np.sqrt(
                rate_treated * (1 - rate_treated) / n_treated
                + rate_control * (1 - rate_control) / n_control
            )
        ),
    }


def _cross_fit(code, X, y, treatment, *, seed, needs_outcomes, progress):
    """Out-of-fold uplift (and P(y=1 | treated)) of learner ``code``, and Qini per fold."""
    from sklearn.model_selection import StratifiedKFold

    from actionable.metrics import qini_auc_score

    strata = (2 * treatment + y).astype(int)
    folds = StratifiedKFold(n_splits=N_FOLDS, shuffle=True, random_state=seed)
    uplift = np.empty(y.size)
    p_treated = np.full(y.size, np.nan)
    qini = []
    for fold, (train, test) in enumerate(folds.split(X, strata)):
        learner = make_learner(code, seed + fold)
        learner.fit(X.iloc[train], y[train], treatment[train])
        uplift[test] = learner.predict(X.iloc[test])
        if needs_outcomes:
            p_treated[test] = learner.predict_outcomes(X.iloc[test])[:, 1]
        qini.append(float(qini_auc_score(y[test], uplift[test], treatment[test])))
        progress.update(1)
    return uplift, p_treated, qini


# ------------------------------------------------------------------- model dir
@dataclass
class SavedModel:
    """A verified model directory written by ``actionable fit``, ready to score.

    Returned by :func:`load_model`; do not build one by hand.

    Attributes
    ----------
    path : pathlib.Path
        The model directory.
    roles : actionable.persist.ColumnRoles
        Which columns hold the treatment, the outcome and the identifier.
    schema : actionable.persist.FeatureSchema
        The features the model was trained on; new data is conformed to it.
    rule : actionable.decision.TargetingRule
        Whom to contact: the rule chosen out of sample at training time.
    card : actionable.decision.DecisionCard
        The decision the model serves, its owner, timing and costs.
    uplift_model, outcome_model : estimator object
        The fitted uplift learner and the naive outcome model.
    documents : dict
        The JSON documents of the directory (``training``, ``rule``, ``schema``, ...).
    """

    path: Path
    roles: ColumnRoles
    schema: FeatureSchema
    rule: TargetingRule
    card: DecisionCard
    uplift_model: object
    outcome_model: object
    documents: dict

    @property
    def learner_name(self):
        """Short name of the uplift learner (``"t"``, ``"dr"``, ...)."""
        return self.documents["training"]["learner"]

    def features(self, frame):
        """Conform ``frame`` to the training features (names, order, dtypes, categories)."""
        return self.schema.transform(frame)

    def predict(self, X):
        """Uplift, and P(y=1 | treated) when the rule needs it (else None)."""
        uplift = np.asarray(self.uplift_model.predict(X), dtype=np.float64)
        p_treated = None
        if _needs_outcomes(self.rule):
            p_treated = self.uplift_model.predict_outcomes(X)[:, 1]
        return uplift, p_treated

    def score(self, frame, *, capacity=None):
        """Score customers and say whom to contact, as ``actionable target`` does.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per customer with the training features; the treatment and
            outcome columns are ignored if present.
        capacity : int, default=None
            At most this many contacts; ``None`` keeps the capacity the model was
            fitted with (if any).

        Returns
        -------
        pandas.DataFrame
            In the order of ``frame``: the identifier column (if the model has one),
            ``uplift``, ``expected_profit`` (per contact, from the model; the
            uplift itself when the model was fitted without costs) and ``target``
            (1 = contact).

        Raises
        ------
        ValueError
            If a feature is missing or has values the schema does not allow.
        """
        self.roles.check_columns(frame, labels=False)
        uplift, p_treated = self.predict(self.features(frame))
        expected_profit = self.rule.expected_profit(uplift, p_treated)
        target = self.rule.select(self.rule.score(uplift, p_treated), capacity=capacity)
        columns = {}
        if self.roles.id_column is not None:
            columns[self.roles.id_column] = frame[self.roles.id_column].to_numpy()
        columns.update({"uplift": uplift, "expected_profit": expected_profit, "target": target})
        return pd.DataFrame(columns, index=frame.index)


def load_model(path):
    """Verify and load a model directory written by ``actionable fit``.

    Every file is checked against the directory's sha256 manifest before anything
    is unpickled; only load model directories from places you trust.

    Parameters
    ----------
    path : str or path-like
        The directory given to ``actionable fit --out``.

    Returns
    -------
    SavedModel
        Its :meth:`SavedModel.score` scores a table of customers.

    Raises
    ------
    actionable.persist.ModelIntegrityError
        If a file is missing, added or changed since the model was saved, or the
        directory was not written by ``actionable fit``.

    Warns
    -----
    actionable.persist.ModelVersionWarning
        If it was saved with other versions of actionable or its dependencies.

    Examples
    --------
    >>> import actionable
    >>> model = actionable.load_model("churn-model")  # doctest: +SKIP
    >>> calls = model.score(this_week, capacity=500)  # doctest: +SKIP
    >>> calls.loc[calls["target"] == 1, "customer_id"]  # doctest: +SKIP
    """
    loaded = load_model_directory(path)
    documents = loaded.documents
    required = ("schema", "rule", "training", "drift_reference")
    missing = [f"{n}.json" for n in required if n not in documents]
    missing += [f"{n}.joblib" for n in ("uplift_model", "outcome_model") if n not in loaded.objects]
    missing += [] if CARD_FILE in loaded.texts else [CARD_FILE]
    if missing:
        raise ModelIntegrityError(
            f"model directory {str(path)!r} has no {missing[0]}: it was not written by "
            "'actionable fit'."
        )
    return SavedModel(
        path=Path(path),
        roles=ColumnRoles.from_dict(documents["schema"]["roles"]),
        schema=FeatureSchema.from_dict(documents["schema"]),
        rule=TargetingRule.from_dict(documents["rule"]["rule"]),
        card=DecisionCard.from_toml_string(loaded.texts[CARD_FILE]),
        uplift_model=loaded.objects["uplift_model"],
        outcome_model=loaded.objects["outcome_model"],
        documents=documents,
    )


# ------------------------------------------------------------------------- fit
def run_fit(args):
    """Train on a randomized experiment and write a model directory.

    Parameters
    ----------
    args : argparse.Namespace
        See ``actionable fit --help``.

    Returns
    -------
    int
        Exit status 0.
    """
    frame = read_table(args.data)
    roles = ColumnRoles(
        treatment=args.treatment,
        treated=args.treated,
        outcome=args.outcome,
        favorable=args.favorable,
        id_column=args.id_column,
        drop=_split_drop(args.drop),
    )
    roles.check_columns(frame)
    treatment = roles.treatment_flags(frame)
    y = roles.outcome_flags(frame)
    if y.min() == y.max():
        raise ValueError(
            f"outcome column {roles.outcome!r} has a single value: every row is "
            f"{'favourable' if y[0] else 'unfavourable'}; nothing can be learned."
        )
    card, card_path = _card_for(args)
    features = roles.feature_names(frame)
    card.validate(features=features, require_costs=_profit_asked(card))
    card = card.updated(
        outcome=card.outcome or f"{roles.outcome} = {roles.favorable or 1}",
        treated_action=card.treated_action or f"{roles.treatment} = {roles.treated}",
        control_action=card.control_action
        or f"{roles.treatment} = {_control_value(frame, roles, treatment)}",
    )
    schema = FeatureSchema.from_frame(frame[features])
    X = schema.transform(frame)

    needs_outcomes = card.has_costs and _needs_outcomes(card)
    if args.learner == "auto":
        candidates = [c for c in LEARNERS if not (needs_outcomes and c == "ct")]
    else:
        if needs_outcomes and args.learner == "ct":
            raise ValueError(
                "--learner ct cannot predict P(y=1 | treated), which an incentive paid on "
                "success needs; use s, t, x, dr or auto."
            )
        candidates = [args.learner]
    seed = int(args.seed)
    cross_fitted = {}
    with _progress(len(candidates) * N_FOLDS, "cross-fitting", args.quiet) as progress:
        for code in candidates:
            progress.set_description(f"cross-fitting {LEARNERS[code][1]}")
            cross_fitted[code] = _cross_fit(
                code,
                X,
                y,
                treatment,
                seed=seed,
                needs_outcomes=needs_outcomes,
                progress=progress,
            )
    scores = {code: float(np.mean(result[2])) for code, result in cross_fitted.items()}
    chosen = max(scores, key=scores.get)
    uplift_oof, p_treated_oof, _ = cross_fitted[chosen]

    if card.has_costs:
        costs = card.costs()
        rule, selection = choose_targeting_rule(
            y,
            uplift_oof,
            treatment,
            value_per_success=costs["value_per_success"],
            cost_per_contact=costs["cost_per_contact"],
            incentive_cost=costs["incentive_cost"],
            incentive_paid=costs["incentive_paid"],
            p_treated=p_treated_oof if needs_outcomes else None,
            capacity=card.capacity,
            random_state=seed,
        )
    else:
        rule = TargetingRule(
            threshold=0.0,
            capacity=card.capacity,
            chosen_by="predicted uplift > 0 (no costs given, so no profit threshold)",
        )
        selection = None

    from actionable.models import OutcomeClassifier

    if not args.quiet:
        print(f"refitting the {LEARNERS[chosen][1]} on all {len(y):,} rows ...", file=sys.stderr)
    framing = getattr(args, "framing", None) or ("churn" if y.mean() > 0.5 else "response")
    uplift_model = make_learner(chosen, seed).fit(X, y, treatment)
    # the naive model a churn (or response) team deploys: the outcome if nothing is done
    outcome_model = OutcomeClassifier(train_on="control", framing=framing, random_state=seed)
    outcome_model.fit(X, y, treatment)
    reference = DriftReference.from_frame(X, score=uplift_model.predict(X))

    training = {
        "data": _fingerprint(args.data, frame, y, treatment),
        "learner": chosen,
        "learner_class": LEARNERS[chosen][0],
        "framing": framing,
        "outcome_model_trained_on": "control",
        "selection": "mean Qini coefficient over held-out folds"
        if len(candidates) > 1
        else "given by --learner",
        "cross_validation": {
            "n_folds": N_FOLDS,
            "stratified_on": "treatment x outcome",
            "seed": seed,
            "qini_by_learner": {
                code: {
                    "mean": scores[code],
                    "sd": float(np.std(result[2], ddof=1)),
                    "folds": result[2],
                }
                for code, result in cross_fitted.items()
            },
        },
        "card_file": None if card_path is None else str(card_path),
    }
    save_model_directory(
        args.out,
        objects={"uplift_model": uplift_model, "outcome_model": outcome_model},
        documents={
            "schema": {"roles": roles.to_dict(), **schema.to_dict()},
            "rule": {"rule": rule.to_dict(), "selection": selection},
            "training": training,
            "drift_reference": reference.to_dict(),
        },
        texts={CARD_FILE: card.to_toml()},
    )
    _print_fit_summary(args, chosen, scores, cross_fitted, rule, selection, X)
    return 0


def _print_fit_summary(args, chosen, scores, cross_fitted, rule, selection, X):
    print(f"model directory: {args.out}")
    print(
        f"features ({X.shape[1]}): {', '.join(X.columns[:12])}{' ...' if X.shape[1] > 12 else ''}"
    )
    for code, score in sorted(scores.items(), key=lambda item: -item[1]):
        sd = float(np.std(cross_fitted[code][2], ddof=1))
        mark = "  <- chosen" if code == chosen else ""
        print(f"  {LEARNERS[code][1]:<22} cross-validated Qini {score:+.4f} (sd {sd:.4f}){mark}")
    print(f"rule: {rule.chosen_by}")
    if selection is not None:
        low, high = selection["profit_low"], selection["profit_high"]
        interval = "" if low is None else f" (95% interval {low:,.2f} to {high:,.2f})"
        print(
            f"  held-out: contacts {selection['fraction']:.1%} of rows, measured profit "
            f"{selection['profit']:,.2f} on {selection['n_rows']:,} rows{interval}"
        )
    if rule.capacity is not None:
        print(f"  capacity: at most {rule.capacity:,} contacts per scored file")


# ---------------------------------------------------------------------- target
def run_target(args):
    """Score a file and write whom to contact.

    Parameters
    ----------
    args : argparse.Namespace
        ``model``, ``data``, ``out`` and ``capacity`` (overrides the model's).

    Returns
    -------
    int
        Exit status 0.
    """
    model = load_model(args.model)
    scores = model.score(read_table(args.data), capacity=args.capacity)
    write_csv_atomically(scores, args.out)
    contacted = scores["target"] == 1
    line = f"{args.out}: {len(scores):,} rows, {int(contacted.sum()):,} to contact"
    if model.rule.has_costs:
        profit = float(scores.loc[contacted, "expected_profit"].sum())
        line += f", expected profit {profit:,.2f} (model-based)"
    print(line)
    return 0


# -------------------------------------------------------------------- labelled
def _labelled(model, path):
    frame = read_table(path)
    roles = model.roles
    roles.check_columns(frame, labels=True)
    treatment = roles.treatment_flags(frame)
    y = roles.outcome_flags(frame)
    return frame, model.features(frame), y, treatment


# --------------------------------------------------------------------- monitor
def run_monitor(args):
    """Realized against expected uplift, drift and alerts of a labelled campaign batch.

    Parameters
    ----------
    args : argparse.Namespace
        ``model``, ``data`` and ``out`` (directory for monitor.json and monitor.html).

    Returns
    -------
    int
        Exit status 0 (alerts are reported, not failures).
    """
    from actionable.report._monitor_page import render_monitor_page

    model = load_model(args.model)
    frame, X, y, treatment = _labelled(model, args.data)
    uplift, _ = model.predict(X)
    reference = DriftReference.from_dict(model.documents["drift_reference"])
    result = monitor_batch(
        y,
        treatment,
        uplift,
        features=X,
        reference=reference,
        expected_uplift_se=model.documents["training"]["data"]["uplift_se"],
    )
    document = result.to_dict()
    out = Path(args.out)
    write_text_atomically(dumps_json(document), out / "monitor.json")
    page = render_monitor_page(
        document,
        card=model.card,
        title="Model monitoring",
        source=f"batch {Path(args.data).name} ({len(frame):,} rows), model {model.path.name} "
        f"({model.learner_name})",
    )
    write_text_atomically(page, out / "monitor.html")
    print(
        f"realized uplift {result.realized_uplift:+.4f} "
        f"[{result.ci_low:+.4f}, {result.ci_high:+.4f}] vs expected "
        f"{result.expected_uplift:+.4f} on {result.n:,} rows "
        f"({result.n_treated:,} treated, {result.n_control:,} control)"
    )
    for alert in result.alerts:
        print(f"ALERT: {alert}")
    if not result.alerts:
        print("no alerts")
    print(f"wrote {out / 'monitor.json'} and {out / 'monitor.html'}")
    return 0


# -------------------------------------------------------------------- evaluate
def _rule_evaluation(y, treatment, selected, cost_model, *, n_bootstraps, seed):
    """Profit of contacting ``selected`` rows, measured on randomized outcomes, with a CI.

    The treated and control rows among the selected estimate what contacting all of
    them would give (as in ``profit_curve``); the interval is a percentile bootstrap
    resampling rows within each arm.
    """

    def profit(y_arm_treated, y_arm_control, n):
        rate_treated = y_arm_treated.mean() if y_arm_treated.size else 0.0
        rate_control = y_arm_control.mean() if y_arm_control.size else 0.0
        return cost_model.profit(n, (rate_treated - rate_control) * n, rate_treated * n)

    n = int(selected.sum())
    treated = y[selected & (treatment == 1)]
    control = y[selected & (treatment == 0)]
    document = {
        "n_rows": int(y.size),
        "n_contacted": n,
        "fraction_contacted": n / y.size,
        "n_contacted_treated": int(treated.size),
        "n_contacted_control": int(control.size),
        "profit": None,
        "profit_low": None,
        "profit_high": None,
        "profit_per_row": None,
        "method": "profit of the saved rule's contacts, from their treated and control rows; "
        "95% percentile bootstrap within arms",
    }
    if n == 0 or treated.size == 0 or control.size == 0:
        document["profit"] = 0.0 if n == 0 else None
        return document
    rng = np.random.default_rng(seed)
    replicates = [
        profit(rng.choice(treated, treated.size), rng.choice(control, control.size), n)
        for _ in range(n_bootstraps)
    ]
    low, high = np.percentile(replicates, [2.5, 97.5])
    estimate = float(profit(treated, control, n))
    document.update(
        profit=estimate,
        profit_low=float(low),
        profit_high=float(high),
        profit_per_row=estimate / y.size,
    )
    return document


def run_evaluate(args):
    """Paired report of a saved model on labelled randomized data.

    The saved uplift model and the naive outcome model saved next to it score the
    rows of DATA without refitting (``actionable.paired.evaluate_paired``); the
    report (``index.html``, ``report.md``, ``summary.json``, figures) goes to OUT,
    with the decision card. ``targeting_rule.json`` adds the measured profit of the
    saved rule's own contacts.

    Parameters
    ----------
    args : argparse.Namespace
        ``model``, ``data``, ``out`` and ``quiet``.

    Returns
    -------
    int
        Exit status 0.
    """
    from actionable.economics import CostModel
    from actionable.paired import evaluate_paired
    from actionable.report import PairedReport

    model = load_model(args.model)
    training = model.documents["training"]
    if file_sha256(args.data) == training["data"]["sha256"]:
        raise ValueError(
            f"{args.data!r} is the file the model was trained on (same sha256): evaluate "
            "needs labelled rows the model has not seen."
        )
    frame, X, y, treatment = _labelled(model, args.data)
    notes = [
        f"Saved model {model.path.name}: {LEARNERS[model.learner_name][1]} trained on "
        f"{training['data']['n_rows']:,} rows of {training['data']['file']}; evaluated "
        "without refitting."
    ]
    if model.card.has_costs:
        costs = model.card.costs()
        cost_model = CostModel(
            costs["value_per_success"],
            costs["cost_per_contact"],
            costs["incentive_cost"],
            incentive_paid=costs["incentive_paid"],
            capacity=costs["capacity"],
        )
    else:
        cost_model = CostModel(1.0, capacity=model.card.capacity)
        notes.append(
            "The model was saved without costs: profit is counted in incremental "
            "successes (value 1 per success, no cost)."
        )
    framing = training.get("framing", "churn")
    result = evaluate_paired(
        model.outcome_model,
        model.uplift_model,
        X,
        y,
        treatment,
        cost_model=cost_model,
        framing=framing,
        dataset=Path(args.data).name,
        description=model.card.decision,
        outcome_name=model.roles.outcome,
        treatment_name=model.roles.treatment,
        n_train=training["data"]["n_rows"],
        n_train_treated=int(round(training["data"]["treated_share"] * training["data"]["n_rows"])),
        random_state=training["cross_validation"]["seed"],
        progress=not args.quiet,
        notes=notes,
    )
    report = PairedReport(result, decision_card=model.card)
    out = Path(args.out)
    report.write(out)
    uplift, p_treated = model.predict(X)
    selected = model.rule.select(model.rule.score(uplift, p_treated)) == 1
    rule_document = {
        "rule": model.rule.to_dict(),
        **_rule_evaluation(
            y,
            treatment,
            selected,
            cost_model,
            n_bootstraps=1000,
            seed=training["cross_validation"]["seed"],
        ),
    }
    write_text_atomically(dumps_json(rule_document), out / "targeting_rule.json")
    print(report.table())
    if rule_document["profit"] is not None and rule_document["profit_low"] is not None:
        print(
            f"saved rule: contacts {rule_document['fraction_contacted']:.1%} of "
            f"{len(y):,} rows, measured profit {rule_document['profit']:,.2f} "
            f"(95% interval {rule_document['profit_low']:,.2f} to "
            f"{rule_document['profit_high']:,.2f})"
        )
    print(f"wrote {out / 'index.html'}, {out / 'summary.json'} and {out / 'targeting_rule.json'}")
    return 0
