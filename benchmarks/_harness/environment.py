"""Thread pinning, machine description and library versions recorded with every result."""

import datetime
import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

# Set before numpy, LightGBM or any BLAS is imported (run.py imports this module first).
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "LOKY_MAX_CPU_COUNT",  # joblib's n_jobs=-1 (causalml's R-learner hard-codes it) means 1
)
LIBRARIES = (
    "actionable",
    "numpy",
    "pandas",
    "scipy",
    "scikit-learn",
    "lightgbm",
    "scikit-uplift",
    "causalml",
    "xgboost-cpu",
    "xgboost",
    "h2o",
)
REPO_ROOT = Path(__file__).resolve().parents[2]


def pin_threads(n_threads=1):
    """Fix every thread-pool size through the environment, for this process and its children."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(n_threads)


def library_versions():
    """Installed version of each library the benchmark uses; ``None`` when not installed."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _memory_total_gib():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _git_commit():
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit


def _modified_sources():
    """Tracked files under src/ that differ from the commit: results then reflect those edits."""
    try:
        output = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "src"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [line[3:] for line in output.splitlines() if line.strip()]


def machine_info():
    """Cores, memory, CPU model, OS and load, read at run time."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cpu_model": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": _memory_total_gib(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "load_average_at_start": load,
    }


def environment_record(argv):
    """Everything needed to read a result file later: when, where, with what, how invoked."""
    return {
        "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": "python benchmarks/run.py " + " ".join(argv),
        "git_commit": _git_commit(),
        "modified_sources": _modified_sources(),
        "machine": machine_info(),
        "threads": {name: os.environ.get(name) for name in THREAD_VARIABLES},
        "lightgbm_threads": "LightGBM estimators use OpenMP with OMP_NUM_THREADS=1 "
        "(peers' bases are built with n_jobs=1; actionable's defaults are used as shipped)",
        "versions": library_versions(),
    }
