"""Run one fit + predict in a forked child with a wall-clock limit.

The parent never fits a model: each fit runs in a ``fork``-ed child that inherits the data
(no copy, no re-import), so a peer that hangs or exceeds its time budget is killed cleanly and
an exception in a peer becomes a recorded result instead of a crash.
"""

import multiprocessing
import resource
import time
import traceback
import warnings

import numpy as np

_CONTEXT = multiprocessing.get_context("fork")


def _child(connection, spec, framing, X_train, y_train, t_train, X_test):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            start = time.perf_counter()
            cpu_start = time.process_time()
            model = spec.build(framing=framing)
            model.fit(X_train, y_train, t_train)
            fitted = time.perf_counter()
            score = model.predict(X_test)
            done = time.perf_counter()
        score = np.asarray(score, dtype=np.float64)
        if score.shape != (X_test.shape[0],):
            raise ValueError(f"predict returned shape {score.shape}, expected ({X_test.shape[0]},)")
        messages = sorted({f"{w.category.__name__}: {str(w.message)[:160]}" for w in caught})
        connection.send(
            {
                "status": "ok",
                "score": score,
                "fit_seconds": fitted - start,
                "predict_seconds": done - fitted,
                "cpu_seconds": time.process_time() - cpu_start,
                "warnings": messages[:5],
                "n_distinct_warnings": len(messages),
                "child_maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        connection.send(
            {
                "status": "error",
                "error": f"{type(error).__name__}: {error}"[:500],
                "traceback": traceback.format_exc()[-2000:],
            }
        )
    finally:
        connection.close()


def fit_predict_isolated(spec, X_train, y_train, t_train, X_test, *, timeout, framing="response"):
    """Fit ``spec`` on the training rows and score the test rows in a child; never raises."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child, args=(sender, spec, framing, X_train, y_train, t_train, X_test), daemon=True
    )
    start = time.perf_counter()
    process.start()
    sender.close()
    result = None
    if receiver.poll(timeout):
        try:
            result = receiver.recv()
        except EOFError:
            result = None
    elapsed = time.perf_counter() - start
    if process.is_alive() and result is None:
        process.kill()
        process.join()
        return {"status": "timeout", "error": f"exceeded {timeout:g} s", "wall_seconds": elapsed}
    process.join()
    receiver.close()
    if result is None:
        return {
            "status": "error",
            "error": f"child died with exit code {process.exitcode}",
            "wall_seconds": elapsed,
        }
    result["wall_seconds"] = elapsed
    return result
