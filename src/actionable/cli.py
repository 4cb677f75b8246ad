"""The ``actionable`` command: demo, fit, target, evaluate, monitor and datasets.

Each subcommand's work lives in ``actionable._commands``; this module only parses
arguments, dispatches, and turns expected errors into one clear line and a
non-zero exit status.
"""

import argparse
import importlib
import sys

from actionable import __version__
from actionable._commands import CommandError
from actionable._commands._defaults import DEFAULT_INCENTIVE_PAID, DEFAULT_LEARNER, LEARNERS


def _add_demo(subparsers):
    p = subparsers.add_parser(
        "demo",
        help="paired comparison of a churn model and an uplift model, in money",
        description=(
            "Train the naive outcome models (the churn model a churn team deploys, trained on "
            "the customers nobody contacted, and variants) and an uplift model on the same "
            "split, compare them with Qini curves and profit, and write a report."
        ),
    )
    p.add_argument("--out", default="demo-output", help="output directory (default: %(default)s)")
    p.add_argument(
        "--n-samples",
        type=int,
        default=None,
        help="rows (synthetic churn: default 50,000; real data: all of them)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument(
        "--dataset",
        choices=["churn", "hillstrom", "starbucks"],
        default="churn",
        help=(
            "synthetic churn world, bundled Hillstrom e-mail data, or the Starbucks promotion "
            "(fetched or from the mirror) (default: %(default)s)"
        ),
    )
    _add_learner(p, auto=False)
    _add_costs(p, defaults="default: the dataset's own")
    p.add_argument(
        "--customer-base",
        type=int,
        default=None,
        help="customers the money is scaled to (default: the rows of the data)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(command_module="demo", command_function="run_demo")


def _add_learner(p, *, auto):
    choices = ["auto", *LEARNERS] if auto else list(LEARNERS)
    names = ", ".join(f"{code} = {words}" for code, (_, words) in LEARNERS.items())
    extra = "; auto picks by cross-validated Qini" if auto else ""
    p.add_argument(
        "--learner",
        choices=choices,
        default=DEFAULT_LEARNER,
        help=f"uplift learner ({names}{extra}) (default: %(default)s)",
    )


def _add_costs(p, *, defaults):
    p.add_argument(
        "--value-per-success",
        type=float,
        default=None,
        help=f"money value of one favourable outcome, e.g. a retained customer ({defaults})",
    )
    p.add_argument(
        "--cost-per-contact",
        type=float,
        default=None,
        help=f"money cost of contacting one person ({defaults})",
    )
    p.add_argument(
        "--incentive-cost",
        type=float,
        default=None,
        help=f"money cost of the incentive (discount, voucher) per person paid ({defaults})",
    )
    p.add_argument(
        "--incentive-paid",
        choices=["on_contact", "on_success"],
        default=None,
        help=(
            "who is paid the incentive: everyone contacted, or only those who end with the "
            f"favourable outcome (default: {DEFAULT_INCENTIVE_PAID})"
        ),
    )
    p.add_argument(
        "--capacity", type=int, default=None, help="maximum number of contacts (default: none)"
    )


def _add_fit(subparsers):
    p = subparsers.add_parser(
        "fit", help="train on a randomized experiment and save a model directory"
    )
    p.add_argument("data", help="CSV, CSV.gz or Parquet file of a randomized experiment")
    p.add_argument("--treatment", required=True, help="treatment column")
    p.add_argument(
        "--treated", required=True, help="value of the treatment column that means treated"
    )
    p.add_argument("--outcome", required=True, help="outcome column")
    p.add_argument(
        "--favorable", default=None, help="outcome value that is favourable (default: 1)"
    )
    p.add_argument("--id", dest="id_column", default=None, help="identifier column (not a feature)")
    p.add_argument("--drop", default=None, help="comma-separated columns to leave out")
    _add_learner(p, auto=True)
    _add_costs(p, defaults="default: the decision card's, else none")
    p.add_argument(
        "--framing",
        choices=["churn", "response"],
        default=None,
        help=(
            "naive model's score: churn risk P(y=0) or response P(y=1) "
            "(default: churn when the favourable outcome is the common one)"
        ),
    )
    p.add_argument(
        "--card",
        default=None,
        help="decision card TOML (default: DATA's folder/decision.toml if present)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--out", required=True, help="model directory to write")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(command_module="production", command_function="run_fit")


def _add_target(subparsers):
    p = subparsers.add_parser("target", help="score a file and choose whom to contact")
    p.add_argument("--model", required=True, help="model directory written by 'actionable fit'")
    p.add_argument("data", help="CSV, CSV.gz or Parquet file to score")
    p.add_argument("--out", required=True, help="CSV file to write")
    p.add_argument("--capacity", type=int, default=None, help="override the model's capacity")
    p.set_defaults(command_module="production", command_function="run_target")


def _add_evaluate(subparsers):
    p = subparsers.add_parser(
        "evaluate", help="paired report of a saved model on labelled randomized data"
    )
    p.add_argument("--model", required=True, help="model directory written by 'actionable fit'")
    p.add_argument("data", help="CSV, CSV.gz or Parquet file with treatment and outcome")
    p.add_argument("--out", required=True, help="report directory to write")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(command_module="production", command_function="run_evaluate")


def _add_monitor(subparsers):
    p = subparsers.add_parser("monitor", help="realized uplift and drift of a campaign batch")
    p.add_argument("--model", required=True, help="model directory written by 'actionable fit'")
    p.add_argument("data", help="CSV, CSV.gz or Parquet batch with treatment and outcome")
    p.add_argument("--out", required=True, help="directory for monitor.json and monitor.html")
    p.set_defaults(command_module="production", command_function="run_monitor")


def _add_datasets(subparsers):
    p = subparsers.add_parser("datasets", help="list or fetch public uplift datasets")
    sub = p.add_subparsers(dest="datasets_command", required=True)
    listing = sub.add_parser("list", help="name, size, cached or not, terms")
    listing.set_defaults(command_module="datasets", command_function="run_list")
    fetch = sub.add_parser("fetch", help="download (or copy from the mirror) and verify a dataset")
    fetch.add_argument("name", help="dataset name, e.g. starbucks")
    fetch.add_argument("--quiet", action="store_true", help="no progress bars")
    fetch.set_defaults(command_module="datasets", command_function="run_fetch")


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
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add in (_add_demo, _add_fit, _add_target, _add_evaluate, _add_monitor, _add_datasets):
        add(subparsers)
    return parser


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
        2 on a usage error.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    module = importlib.import_module(f"actionable._commands.{args.command_module}")
    command = getattr(module, args.command_function)
    try:
        return int(command(args) or 0)
    except (CommandError, ValueError, FileNotFoundError, OSError) as exc:
        print(f"actionable {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
