"""Importers: read bars from other formats into the store (MT5 history exports so far)."""

from mas.data.importers.mt5_csv import import_file, read_mt5_csv
from mas.data.importers.report import ImportFormatError, ImportIssue, ImportReport

__all__ = ["ImportFormatError", "ImportIssue", "ImportReport", "import_file", "read_mt5_csv"]
