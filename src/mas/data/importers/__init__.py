"""Importers: read bars and ticks from other formats into the store.

Formats: MT5 history exports (bars and ticks), HistData.com ASCII (M1 and ticks), Dukascopy
``.bi5`` (day candles and hour ticks) and generic delimited text with a column mapping. See
:mod:`mas.data.importers.importing` for format detection and time zones.
"""

from mas.data.importers.generic_csv import ColumnMapping, read_generic_csv
from mas.data.importers.histdata import read_histdata_m1, read_histdata_ticks
from mas.data.importers.importing import FORMATS, detect_format, import_file, read_file
from mas.data.importers.mt5_csv import read_mt5_csv, read_mt5_ticks_csv
from mas.data.importers.parsed import ParsedBars, ParsedTicks
from mas.data.importers.report import ImportFormatError, ImportIssue, ImportReport

__all__ = [
    "FORMATS",
    "ColumnMapping",
    "ImportFormatError",
    "ImportIssue",
    "ImportReport",
    "ParsedBars",
    "ParsedTicks",
    "detect_format",
    "import_file",
    "read_file",
    "read_generic_csv",
    "read_histdata_m1",
    "read_histdata_ticks",
    "read_mt5_csv",
    "read_mt5_ticks_csv",
]
