"""The ``actionable`` command: demo, fit, target, evaluate, monitor, design and datasets.

This module only parses arguments, calls the library (one call per step, mostly in
``actionable.production`` and ``actionable.report``) and prints. Expected errors
become one line naming the problem (the library's parameter names shown as this
command's options) and a non-zero exit status; Ctrl-C and a termination signal
remove partial files and exit with 130 and 143.
"""

import argparse
import signal
import sys
import warnings
from pathlib import Path

from actionable import __version__
from actionable.models import DEFAULT_LEARNER, LEARNERS
from actionable.production import DEFAULT_INCENTIVE_PAID, PILOT_DESIGN_PARAMETERS

EXIT_ERROR, EXIT_ALERT, EXIT_INTERRUPTED, EXIT_TERMINATED = 1, 3, 130, 143


class _Terminated(BaseException):
    """Raised by the SIGTERM handler, so that cleanup code runs before the exit."""


# --------------------------------------------------------------------- commands
def run_demo(args):
    from actionable.report import demo_report

    report = demo_report(
        args.dataset, n_samples=args.n_samples, seed=args.seed, learner=args.learner,
        costs=_costs(args), customer_base=args.customer_base, progress=not args.quiet,
        outcome=args.outcome,
    )  # fmt: skip
    print(report.table())
    out = report.write(Path(args.out))
    print(f"\nReport: {(out / 'index.html').resolve().as_uri()}")
    print(f"Also written to {out}/: summary.json, report.md, {', '.join(sorted(report.figures))}")


def run_fit(args):
    from actionable.production import ColumnRoles, describe_fit, fit_file, load_card

    roles = ColumnRoles(
        treatment=args.treatment, treated=args.treated, outcome=args.outcome,
        favorable=args.favorable, id_column=args.id_column,
        drop=tuple(name.strip() for name in (args.drop or "").split(",") if name.strip()),
    )  # fmt: skip
    card = load_card(args.card, data=args.data, **_costs(args))
    model = fit_file(
        args.data, args.out, roles, card=card, learner=args.learner, framing=args.framing,
        random_state=args.seed, progress=not args.quiet, propensity=args.propensity,
        assume_recorded_selection=args.assume_recorded_selection,
    )  # fmt: skip
    print(describe_fit(model))


def run_target(args):
    from actionable.production import describe_targets, load_model, target_file

    model = load_model(args.model)
    scores = target_file(
        model, args.data, args.out, capacity=args.capacity, progress=not args.quiet,
        n_jobs=args.n_jobs, reasons=args.reasons,
    )  # fmt: skip
    print(describe_targets(scores, args.out, model.rule))


def run_evaluate(args):
    from actionable import production
    from actionable.report import PairedReport

    inputs = {"DATA": args.data, "--model": args.model}
    production.check_outputs_are_not_inputs({"--out": args.out}, inputs)
    model = production.load_model(args.model)
    evaluation = production.evaluate_file(
        model, args.data, progress=not args.quiet, propensity=args.propensity,
        assume_recorded_selection=args.assume_recorded_selection,
    )  # fmt: skip
    documents = {"targeting_rule.json": evaluation.rule, "assignment.json": evaluation.assignment}
    report = PairedReport(evaluation.result, decision_card=model.card, extra_documents=documents)
    out = report.write(args.out)
    print(f"randomization check: {evaluation.assignment['check']['verdict']}")
    if model.roles.is_continuous:
        print(production.describe_average_effect(evaluation, model.roles.outcome))
    print(report.table())
    print(production.describe_rule_evaluation(evaluation.rule))
    print(f"wrote {out / 'index.html'}, {out / 'summary.json'}, {', '.join(documents)}")


def run_on_dask(args):  # DATA a folder or glob of Parquet files, or --scheduler ADDRESS
    from actionable.distributed import DASK_OPTIONS, run_command

    options = {k: getattr(args, k) for k in DASK_OPTIONS if getattr(args, k, None) is not None}
    print(run_command(args.command, args.model, args.data, args.out, scheduler=args.scheduler,
                      **options))  # fmt: skip


def run_monitor(args):
    from actionable import production
    from actionable.report import MonitorReport

    inputs = {"DATA": args.data, "--model": args.model}
    production.check_outputs_are_not_inputs({"--out": args.out}, inputs)
    model = production.load_model(args.model)
    result = production.monitor_file(model, args.data, batch=args.batch, progress=not args.quiet)
    source = f"batch {Path(args.data).name} ({result.n:,} rows), model {model.path.name}"
    out = MonitorReport(result, card=model.card, source=source).write(args.out)
    print(production.describe_monitoring(result))
    print(f"wrote {out / 'monitor.json'} and {out / 'monitor.html'}")
    return EXIT_ALERT if args.fail_on_alert and result.alerts else 0


def run_design(args):
    from actionable import production

    options = {name: getattr(args, name) for name in (*PILOT_DESIGN_PARAMETERS, "n_jobs")}
    design = production.design_pilot(
        costs=_costs(args), random_state=args.seed, progress=not args.quiet, **options
    )
    print(production.describe_pilot(design))
    if args.out is not None:
        text = production.dumps_json(design.to_dict())
        print(f"wrote {production.write_text_atomically(text, args.out)}")


def run_datasets_list(args):
    from actionable.datasets import describe_datasets

    print(describe_datasets())


def run_datasets_fetch(args):
    from actionable.datasets import fetch_dataset

    for remote, path in fetch_dataset(args.name, quiet=args.quiet):
        size = path.stat().st_size
        print(f"{path}  ({size:,} bytes, {remote.algorithm} {remote.checksum} verified)")


def _costs(args):
    names = ("value_per_success", "value_per_unit", "cost_per_contact", "incentive_cost")
    return {name: getattr(args, name, None) for name in (*names, "incentive_paid", "capacity")}


# ---------------------------------------------------------------------- parsing
def _command(subparsers, name, function, summary, description=None):
    parser = subparsers.add_parser(name, help=summary, description=description or summary)
    parser.set_defaults(function=function)
    return parser


def _add_learner(p, *, auto):
    names = ", ".join(f"{code} = {words}" for code, (_, words) in LEARNERS.items())
    if auto:
        names += "; auto: best cross-fitted profit with costs, else best cross-validated Qini"
    p.add_argument(
        "--learner",
        choices=(["auto"] if auto else []) + list(LEARNERS),
        default=DEFAULT_LEARNER,
        help=f"uplift learner ({names}) (default: %(default)s)",
    )


def _add_costs(p, defaults, *, per_unit=False):
    money = "in your currency, e.g. 200 for a $200 margin"
    for flag, what in filter(None, (
        ("--value-per-success", f"value of one favourable outcome ({money})"),
        ("--value-per-unit", "value of one unit of a continuous outcome (0.3: $1 of spend "
         "brings $0.30); makes the outcome continuous") if per_unit else None,
        ("--cost-per-contact", "cost of contacting one person, in the same currency"),
        ("--incentive-cost", "cost of the incentive (discount, voucher) per person paid it"),
    )):  # fmt: skip
        p.add_argument(flag, type=float, default=None, help=f"{what} (default: {defaults})")
    p.add_argument(
        "--incentive-paid",
        choices=["on_contact", "on_success"],
        default=None,
        help="who is paid the incentive: everyone contacted, or only those who end with the "
        f"favourable outcome (default: {DEFAULT_INCENTIVE_PAID}); on_contact per unit",
    )
    p.add_argument(
        "--capacity", type=int, default=None, help="maximum number of contacts (default: none)"
    )


def _add_io(p, *, out_help):
    p.add_argument("--model", required=True, help="model directory written by 'actionable fit'")
    p.add_argument("data", help="CSV, CSV.gz or Parquet file, or a folder or glob of Parquet files")
    p.add_argument("--out", required=True, help=out_help)
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler to run on (default for "
                   "a folder or glob of Parquet files: a local cluster, one worker per core)")
    p.add_argument("--quiet", action="store_true", help="no progress output")


def _add_assignment(p):
    p.add_argument(
        "--propensity",
        metavar="COL",
        help="column of each row's logged probability of being treated, for a targeted "
        "campaign (never a feature): every figure is then weighted by its inverse",
    )
    p.add_argument(
        "--assume-recorded-selection",
        action="store_true",
        help="when the treatment was not assigned at random and no propensity was logged, "
        "weight by propensities estimated from the features instead of stopping (right only "
        "if the choice depended on recorded features alone)",
    )


def _demo_parser(subparsers):
    p = _command(
        subparsers, "demo", run_demo, "paired comparison of a churn model and an uplift model",
        description="Train the churn model a churn team deploys (on the customers nobody "
        "contacted), its variants and an uplift model on the same split; compare them in money.",
    )  # fmt: skip
    p.add_argument("--out", default="demo-output", help="output directory (default: %(default)s)")
    p.add_argument("--n-samples", type=int, help="rows (churn: 50,000; real data: all of them)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--dataset", choices=["churn", "hillstrom", "starbucks"], default="churn",
                   help="synthetic churn world, the bundled Hillstrom e-mail campaign, or the "
                   "Starbucks promotion (fetched or from the mirror) (default: %(default)s)")
    p.add_argument("--outcome", choices=["retained", "revenue"], default=None,
                   help="churn demo's outcome: retained (yes/no, the default) or the monthly "
                   "revenue kept (an amount: the demo in money kept)")
    _add_learner(p, auto=False)
    _add_costs(p, "the dataset's own")
    p.add_argument("--customer-base", type=int, help="customers the money is scaled to")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def _fit_parser(subparsers):
    p = _command(subparsers, "fit", run_fit, "train on a randomized experiment, save a model",
                 description="Train on a randomized experiment, save a model. The outcome is "
                 "continuous (spend, revenue) when --value-per-unit is given, or when its column "
                 "is numeric, not only 0/1, and --favorable is not given; else binary.")
    p.add_argument("data", help="CSV, CSV.gz or Parquet file of a randomized experiment")
    p.add_argument("--treatment", required=True, help="treatment column")
    p.add_argument("--treated", required=True, help="value of the treatment column for treated")
    p.add_argument("--outcome", required=True, help="outcome column (binary or continuous)")
    p.add_argument("--favorable", help="favourable outcome value (default: 1); binary only")
    p.add_argument("--id", dest="id_column", help="identifier column (never a feature)")
    p.add_argument("--drop", help="comma-separated columns to leave out of the features")
    _add_learner(p, auto=True)
    _add_costs(p, "the decision card's, else none", per_unit=True)
    p.add_argument("--framing", choices=["churn", "response"],
                   help="naive model's score: churn risk P(y=0) or response P(y=1); for a "
                   "continuous outcome, the outcome at risk or the highest predicted (default: "
                   "churn when the favourable (non-zero if continuous) outcome is the common one)")
    p.add_argument("--card", help="decision card TOML (default: DATA's folder/decision.toml)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    _add_assignment(p)
    p.add_argument("--out", required=True, help="model directory to write")
    p.add_argument("--quiet", action="store_true", help="no progress output")


def _design_parser(subparsers):
    p = _command(subparsers, "design", run_design, "size a randomized pilot and price it",
                 description="How many customers a randomized pilot needs (treated and control) "
                 "to detect the average uplift, to train an uplift model that beats random "
                 "targeting (simulated) and to monitor the campaign after it; what it costs.")
    for name, (kind, default, text) in PILOT_DESIGN_PARAMETERS.items():
        flag = "--simulations" if name == "n_simulations" else "--" + name.replace("_", "-")
        text += "" if default is None else " (default: %(default)s)"
        p.add_argument(flag, dest=name, type=kind, default=default, required=default is None,
                       help=text)
    _add_costs(p, "none, and the pilot is stated in rows only", per_unit=True)
    p.add_argument("--n-jobs", type=int, help="threads of each fit (default: 1; -1: all cores)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--out", metavar="FILE", help="JSON file to write the design to (optional)")
    p.add_argument("--quiet", action="store_true", help="no progress output")


def build_parser():
    """Build the argument parser of the ``actionable`` command.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="actionable",
        description="Is this prediction actionable? Uplift models and the money behind them.",
    )
    parser.add_argument("--version", action="version", version=f"actionable {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _demo_parser(sub)
    _fit_parser(sub)
    p = _command(sub, "target", run_target, "score a file and choose whom to contact")
    _add_io(p, out_help="CSV file to write (sorted by priority)")
    p.add_argument("--capacity", type=int, help="override the model's capacity")
    p.add_argument("--n-jobs", type=int, default=-1,
                   help="threads scoring at once (default: %(default)s, all cores)")
    p.add_argument("--reasons", type=int, default=0, metavar="K",
                   help="add reason_1..K: the features that move each contacted customer's "
                   "uplift most, in plain words (default: none)")
    p = _command(sub, "evaluate", run_evaluate, "paired report of a saved model on new data")
    _add_io(p, out_help="report directory to write")
    _add_assignment(p)
    p = _command(sub, "monitor", run_monitor, "realized uplift, money and drift of a batch")
    _add_io(p, out_help="directory for monitor.json and monitor.html")
    p.add_argument("--batch", choices=["auto", "targeted", "population"], default="auto",
                   help="the model's target list with a random holdout, or a random batch "
                   "(default: %(default)s: told from the scores)")
    p.add_argument("--fail-on-alert", action="store_true",
                   help=f"exit with status {EXIT_ALERT} when there is an alert (for schedulers)")
    _design_parser(sub)
    p = _command(sub, "datasets", None, "list or fetch public uplift datasets")
    datasets = p.add_subparsers(dest="datasets_command", required=True)
    _command(datasets, "list", run_datasets_list, "name, size, cached or not, terms")
    fetch = _command(datasets, "fetch", run_datasets_fetch, "download and verify a dataset")
    fetch.add_argument("name", help="dataset name, e.g. starbucks")
    fetch.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


# ------------------------------------------------------------------------ running
def _options(parser):
    """Library parameter name -> this command's option (``id_column`` -> ``--id``)."""
    found = {}
    for action in parser._actions:  # argparse keeps no public list of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.update(_options(sub))
        elif action.option_strings:
            found[action.dest] = action.option_strings[-1]
    return found


def _in_cli_words(message, parser):
    for name, option in _options(parser).items():
        message = message.replace(f"`{name}`", option)
    return message


def _show_warning(message, category, filename, lineno, file=None, line=None):
    print(f"actionable: warning: {message}", file=sys.stderr)


def _runner(args):
    if "scheduler" not in args:  # only target and evaluate can run on Dask
        return args.function
    from actionable.distributed import is_partitioned

    return run_on_dask if args.scheduler or is_partitioned(args.data) else args.function


def _terminate(signum, frame):
    raise _Terminated(signum)


def main(argv=None):
    """Run the ``actionable`` command.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name; ``sys.argv[1:]`` when ``None``.

    Returns
    -------
    int
        Exit status: 0 on success, 1 on an expected error (reported on one line),
        2 on a usage error, 3 on a monitoring alert with ``--fail-on-alert``, 130 when
        interrupted (Ctrl-C) and 143 when terminated (SIGTERM).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    name = f"actionable {args.command}"
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            return int(_runner(args)(args) or 0)
    except (ValueError, OSError) as exc:
        print(f"{name}: error: {_in_cli_words(str(exc), parser)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"{name}: interrupted; no partial output was left.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _Terminated:
        print(f"{name}: terminated; no partial output was left.", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
