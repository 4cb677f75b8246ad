"""Execute the teaching notebooks and write each ``.ipynb`` with its outputs.

The ``NN_*.py`` files (jupytext percent format) are the reviewable source; each
``NN_*.ipynb`` next to one is generated from it by this script, so its outputs come
from a full, top-to-bottom run::

    .venv/bin/python notebooks/build.py            # all notebooks, full size
    .venv/bin/python notebooks/build.py 03         # the notebooks whose name starts with 03
    .venv/bin/python notebooks/build.py --small    # quick check: small data, writes nothing

Each notebook runs in a fresh ``python3`` kernel (the interpreter running this script)
inside a temporary working directory. ``ACTIONABLE_NOTEBOOK_SMALL=1`` makes a notebook
shrink its data; the full build removes it, the ``--small`` check and the test suite
(``tests/test_notebooks.py``) set it.
"""

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import default

NOTEBOOK_DIR = Path(__file__).resolve().parent
SMALL_VARIABLE = "ACTIONABLE_NOTEBOOK_SMALL"
KERNEL_NAME = "python3"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": KERNEL_NAME}
CELL_TIMEOUT = 600  # seconds, per cell


def notebook_sources(directory=NOTEBOOK_DIR):
    """The notebook sources ``NN_*.py`` of ``directory``, in order."""
    return sorted(Path(directory).glob("[0-9][0-9]_*.py"))


def read_source(path):
    """Read a percent-format ``.py`` source as a notebook (no outputs)."""
    notebook = jupytext.read(path, fmt="py:percent")
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    for index, cell in enumerate(notebook.cells):  # stable ids: a rebuild changes no line
        cell.id = f"cell-{index:03d}"
    return notebook


def cell_sources(notebook):
    """``(id, cell_type, source)`` of every cell: what must agree between ``.py`` and ``.ipynb``."""
    return [(cell.get("id"), cell.cell_type, cell.source) for cell in notebook.cells]


@contextlib.contextmanager
def _kernel_environment(small):
    """Environment inherited by the kernel: small or full data, one thread, inline figures."""
    saved = {
        name: os.environ.get(name) for name in (SMALL_VARIABLE, "MPLBACKEND", "OMP_NUM_THREADS")
    }
    try:
        if small:
            os.environ[SMALL_VARIABLE] = "1"
        else:
            os.environ.pop(SMALL_VARIABLE, None)
        # a headless MPLBACKEND (e.g. Agg) would keep figures out of the outputs
        os.environ.pop("MPLBACKEND", None)
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class NativeKernelManager(AsyncKernelManager):
    """Starts ipykernel's own ``python3`` kernel: the interpreter running this code.

    No kernelspec directory is searched, so a ``python3`` kernelspec installed elsewhere
    (user or system Jupyter paths) cannot substitute another Python without actionable.
    """

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self):
        return KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)


def execute(notebook, *, small, working_dir, timeout=CELL_TIMEOUT):
    """Run every cell of ``notebook`` in place, in a fresh kernel started in ``working_dir``.

    Raises ``nbclient.exceptions.CellExecutionError`` on the first failing cell.
    """
    client = NotebookClient(
        notebook,
        kernel_manager_class=NativeKernelManager,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        record_timing=False,
        resources={"metadata": {"path": str(working_dir)}},
    )
    with _kernel_environment(small):
        client.execute()
    notebook.metadata["actionable"] = {"small_data": bool(small)}
    return notebook


def build(path, *, small=False, write=True):
    """Execute the source ``path`` and (unless ``write`` is False) write its ``.ipynb``.

    Returns the number of seconds the run took.
    """
    notebook = read_source(path)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="actionable-notebook-") as working_dir:
        execute(notebook, small=small, working_dir=working_dir)
    seconds = time.perf_counter() - start
    if write:
        nbformat.write(notebook, Path(path).with_suffix(".ipynb"))
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only the notebooks whose name starts so")
    parser.add_argument(
        "--small", action="store_true", help="small data, write nothing (a quick check)"
    )
    args = parser.parse_args(argv)
    sources = [
        path
        for path in notebook_sources()
        if not args.names or any(path.name.startswith(name) for name in args.names)
    ]
    if not sources:
        parser.error(f"no notebook matches {args.names}")
    for path in sources:
        seconds = build(path, small=args.small, write=not args.small)
        target = "(not written)" if args.small else path.with_suffix(".ipynb").name
        print(f"{path.name}: {seconds:.1f} s {target}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
