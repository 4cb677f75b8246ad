"""Run one fit + predict in a forked child with a CPU-time budget.

The parent never fits a model: each fit runs in a ``fork``-ed child that inherits the data
(no copy, no re-import), so a peer that exceeds its time budget is killed cleanly and an
exception in a peer becomes a recorded result instead of a crash.

The budget is in CPU seconds (``RLIMIT_CPU``: the kernel stops the child when it has used
that much CPU), so it means the same on an idle and on a shared machine; a wall-clock limit
of ``WALL_FACTOR`` times the budget is a backstop for a child that waits instead of computing.
"""

import multiprocessing
import resource
import signal
import time
import traceback
import warnings

import numpy as np

_CONTEXT = multiprocessing.get_context("fork")
WALL_FACTOR = 10


def cpu_seconds():
    """User + system time of this process and of the children it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def limit_cpu_seconds(budget):
    """Let this process use at most ``budget`` more CPU seconds (then SIGXCPU stops it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(used + budget) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would otherwise dump core


def killed_by_cpu_limit(exitcode):
    return exitcode is not None and exitcode == -signal.SIGXCPU


def _child(connection, spec, framing, X_train, y_train, t_train, X_test, budget):
    try:
        limit_cpu_seconds(budget)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            start = time.perf_counter()
            cpu_start = cpu_seconds()
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
                "cpu_seconds": cpu_seconds() - cpu_start,
                "warnings": messages[:5],
                "n_distinct_warnings": len(messages),
                "details": getattr(model, "details_", None),  # e.g. the learner auto chose
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
    """Fit ``spec`` on the training rows and score the test rows in a child; never raises.

    ``timeout`` is the budget in CPU seconds; the wall-clock backstop is ``WALL_FACTOR`` times it.
    """
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child,
        args=(sender, spec, framing, X_train, y_train, t_train, X_test, timeout),
        daemon=True,
    )
    start = time.perf_counter()
    process.start()
    sender.close()
    result = None
    if receiver.poll(timeout * WALL_FACTOR):
        try:
            result = receiver.recv()
        except EOFError:
            result = None
    elapsed = time.perf_counter() - start
    receiver.close()
    if result is None and process.is_alive():
        process.kill()
        process.join()
        return {
            "status": "timeout",
            "error": f"> {timeout * WALL_FACTOR:g} s wall clock",
            "wall_seconds": elapsed,
        }
    process.join()
    if result is None:
        if killed_by_cpu_limit(process.exitcode):
            return {"status": "timeout", "error": f"> {timeout:g} CPU s", "wall_seconds": elapsed}
        return {
            "status": "error",
            "error": f"child died with exit code {process.exitcode}",
            "wall_seconds": elapsed,
        }
    result["wall_seconds"] = elapsed
    return result
