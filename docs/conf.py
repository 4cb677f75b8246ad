"""Sphinx configuration of the actionable documentation (``make docs``)."""

import os
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

import actionable

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))  # for _ext

project = "actionable"
author = "The actionable developers"
copyright = "2026, The actionable developers"
version = release = actionable.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
    "_ext.generated_pages",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md", "sg_execution_times.rst"] + [
    f"auto_examples/*.{ext}" for ext in ("ipynb", "py", "zip", "md5", "json")
]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["actionable.css"]

# --- API reference
autosummary_generate = True
autodoc_default_options = {"members": True}  # inherited members only where a template asks
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# --- Formulas: MathJax from the docs extra (jupyter-server-mathjax ships MathJax 2 as
# package data), so that the built pages render their formulas without network; the
# CDN copy otherwise.
try:
    import jupyter_server_mathjax

    _MATHJAX = Path(jupyter_server_mathjax.__file__).parent / "static"
except ImportError:
    _MATHJAX = None
if _MATHJAX is not None and (_MATHJAX / "MathJax.js").is_file():
    html_static_path.append(str(_MATHJAX))
    mathjax_path = "MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
    mathjax2_config = {"tex2jax": {"inlineMath": [["\\(", "\\)"]],
                                   "displayMath": [["\\[", "\\]"]],
                                   "processEscapes": True}}

# --- Markdown pages
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
myst_update_mathjax = False  # its MathJax 3 options would stop the MathJax 2 used offline

# --- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"actionable {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False

# --- Gallery: the scripts in ../examples run at build time and their figures are kept.
sphinx_gallery_conf = {
    "examples_dirs": str(DOCS.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "reference_url": {"actionable": None},
    "doc_module": ("actionable",),
    "backreferences_dir": "api/backreferences",
    "abort_on_example_error": True,
    "show_memory": False,
    "matplotlib_animations": False,
}


# --- Links to the libraries actionable builds on. The build has no network in CI:
# an inventory that cannot be reached within a few seconds is left out (its names
# then render as plain text) rather than failing the build on a warning.
def _reachable(url, timeout=3.0):
    if os.environ.get("ACTIONABLE_DOCS_OFFLINE") == "1":
        return False
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


_INVENTORIES = {
    "python": "https://docs.python.org/3",
    "numpy": "https://numpy.org/doc/stable",
    "pandas": "https://pandas.pydata.org/docs",
    "sklearn": "https://scikit-learn.org/stable",
    "lightgbm": "https://lightgbm.readthedocs.io/en/stable",
}
intersphinx_mapping = {name: (url, None) for name, url in _INVENTORIES.items() if _reachable(url)}
intersphinx_timeout = 10
