"""Reports: one object rendered as HTML, Markdown, ``summary.json`` and a folder.

``PairedReport(result)`` turns a ``PairedResult`` into a self-contained HTML page for
a manager (``.html()``, ``_repr_html_`` in notebooks), Markdown (``.markdown()``), the
``summary.json`` dict (``.summary()``), a terminal table (``.table()``) and a folder
(``.write(directory)``). ``MonitorReport`` does the same for the monitoring of a
campaign batch (``monitor.json`` and a page); ``demo_report`` runs a demo.
"""

from actionable.report._demo import demo_data, demo_report
from actionable.report._monitor_page import MonitorReport
from actionable.report._paired_report import PairedReport
from actionable.report._summary import MODEL_KEYS, summary_dict, validate_summary
from actionable.report._verdict import Verdict, make_verdict

__all__ = [
    "MODEL_KEYS",
    "MonitorReport",
    "PairedReport",
    "Verdict",
    "demo_data",
    "demo_report",
    "make_verdict",
    "summary_dict",
    "validate_summary",
]
