"""One speed/memory measurement in a fresh interpreter; prints one JSON line.

Run by ``_harness.speed`` as ``python speed_worker.py '<json request>'``. Just before the timed
call the kernel's peak-RSS mark is reset (``/proc/self/clear_refs``), so the peak read after it
(``VmHWM``) is the timed call's own; the resident set just before the call is reported beside
it, so the increment is what the fit (or the metric) allocated on top of imports and data.
"""

import json
import os
import resource
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from _harness.isolation import cpu_seconds, limit_cpu_seconds  # noqa: E402


def _rss_mib():
    with open("/proc/self/statm") as handle:
        resident_pages = int(handle.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _reset_peak():
    """Reset the kernel's peak-RSS mark (VmHWM) so the peak read later is the timed call's."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def _peak_mib():
    """Peak resident set (VmHWM) since the last reset; ``ru_maxrss`` where /proc is absent."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fit(request):
    import warnings

    import numpy as np

    from _harness.models import MODELS_BY_NAME

    warnings.simplefilter("ignore")
    spec = MODELS_BY_NAME[request["model"]]
    X = np.load(os.path.join(request["data"], "X.npy"))
    y = np.load(os.path.join(request["data"], "y.npy"))
    treatment = np.load(os.path.join(request["data"], "treatment.npy"))
    framing = request.get("framing", "response")
    # Warm-up on the first rows: loads whatever the library imports lazily at its first fit,
    # so neither the timing nor the memory increment below counts imports.
    warm = min(X.shape[0], request.get("warm_up_rows", 1_000))
    spec.build(framing=framing).fit(X[:warm], y[:warm], treatment[:warm]).predict(X[:warm])
    model = spec.build(framing=framing)
    limit_cpu_seconds(request["cpu_budget"])
    peak_reset = _reset_peak()
    rss_before = _rss_mib()
    start, cpu_start = time.perf_counter(), cpu_seconds()
    model.fit(X, y, treatment)
    fitted = time.perf_counter()
    score = model.predict(X)
    done, cpu_done = time.perf_counter(), cpu_seconds()
    if np.shape(score) != (X.shape[0],) or not np.all(np.isfinite(score)):
        raise ValueError("predict did not return one finite score per row")
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "fit_seconds": fitted - start,
        "predict_seconds": done - fitted,
        "seconds": done - start,
        "cpu_seconds": cpu_done - cpu_start,
        "rss_before_mib": rss_before,
        "peak_rss_mib": _peak_mib(),
        "peak_increment_mib": _peak_mib() - rss_before,
        "peak_reset": peak_reset,
        "children_peak_rss_mib": children_peak or None,
        "n_features": int(X.shape[1]),
        "warm_up_rows": int(warm),
    }


def _metric_data(n):
    import numpy as np

    rng = np.random.default_rng(0)
    treatment = rng.integers(0, 2, n).astype(np.int64)
    uplift = rng.normal(size=n)
    probability = 0.1 + 0.05 * treatment * (uplift > 0)
    y = (rng.random(n) < probability).astype(np.int64)
    return y, uplift, treatment


def _metric_function(library, y, uplift, treatment):
    if library == "actionable":
        from actionable.metrics import qini_auc_score

        return lambda: qini_auc_score(y, uplift, treatment)
    if library == "scikit-uplift":
        from sklift.metrics import qini_auc_score

        return lambda: qini_auc_score(y, uplift, treatment)
    if library == "causalml":
        import logging

        import pandas as pd

        logging.getLogger("causalml").setLevel(logging.WARNING)
        from causalml.metrics import qini_score

        frame = pd.DataFrame({"y": y, "w": treatment, "score": uplift})
        return lambda: qini_score(frame, outcome_col="y", treatment_col="w", normalize=True)[
            "score"
        ]
    raise ValueError(f"unknown library {library!r}")


def _metric(request):
    import warnings

    warnings.simplefilter("ignore")
    y, uplift, treatment = _metric_data(request["n"])
    call = _metric_function(request["library"], y, uplift, treatment)
    # Warm-up on 1,000 rows: lazily imported modules load before the measurement.
    _metric_function(request["library"], y[:1000], uplift[:1000], treatment[:1000])()
    limit_cpu_seconds(request["cpu_budget"])
    peak_reset = _reset_peak()
    rss_before = _rss_mib()
    times, value = [], None
    for _ in range(request["repeats"]):
        start = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - start)
    return {
        "seconds": min(times),
        "all_seconds": times,
        "value": float(value),
        "rss_before_mib": rss_before,
        "peak_rss_mib": _peak_mib(),
        "peak_increment_mib": _peak_mib() - rss_before,
        "peak_reset": peak_reset,
    }


def main():
    request = json.loads(sys.argv[1])
    try:
        result = _fit(request) if request["kind"] == "fit" else _metric(request)
        result["status"] = "ok"
    except Exception as error:  # noqa: BLE001 - reported to the parent
        result = {
            "status": "error",
            "error": f"{type(error).__name__}: {error}"[:500],
            "traceback": traceback.format_exc()[-2000:],
        }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
