"""The report pages' shared script (``assets/report.js``, ``MASReport``): a file beside the pages, named by its
content hash like the marker script (:mod:`mas.reports.trade_markers`), or inlined in a self-contained page.

It decodes the packed columns (:mod:`mas.reports.packing`), renders the trade / order / deal lists and builds the
trade chart's trade traces and the KPI curves in the browser, so a page carries each series once.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from mas.reports.output import write_shared_asset

__all__ = ["report_asset_name", "report_js", "script_tag", "write_report_asset"]


def report_js() -> str:
    """The shared script's text."""
    return resources.files("mas.reports").joinpath("assets/report.js").read_text(encoding="utf-8")


def report_asset_name() -> str:
    """``mas-report-<hash>.js``: the shared script's file name (its content hash, so an old page keeps its script)."""
    return f"mas-report-{hashlib.sha256(report_js().encode('utf-8')).hexdigest()[:10]}.js"


def write_report_asset(report_dir: str | Path) -> str:
    """Put the shared script beside the reports in ``report_dir`` once; return its name (a relative URL)."""
    return write_shared_asset(report_dir, report_asset_name(), report_js())


def script_tag(src: str | None, inline: str) -> str:
    """``<script src=src>``, or the script ``inline`` in the page (``</`` escaped) when ``src`` is None."""
    from mas.reports._html import esc

    if src is not None:
        return f'<script src="{esc(src)}"></script>'
    return "<script>" + inline.replace("</", "<\\/") + "</script>"
