"""The one place for version-specific calls into scikit-learn, LightGBM and matplotlib."""

from sklearn.utils.validation import validate_data

__all__ = ["validate_data", "import_pyplot"]

_MATPLOTLIB_MISSING = (
    "Plotting needs matplotlib, which could not be imported: pip install matplotlib."
)


def import_pyplot():
    """Import ``matplotlib.pyplot`` lazily, with a clear error if it is missing.

    Returns
    -------
    module
        The ``matplotlib.pyplot`` module.
    """
    try:
        import matplotlib

        if matplotlib.get_backend().lower() not in {
            "agg",
            "module://matplotlib_inline.backend_inline",
        }:
            import os

            if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
                matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise RuntimeError(_MATPLOTLIB_MISSING) from exc
    return plt
