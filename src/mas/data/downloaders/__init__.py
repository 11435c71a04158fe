"""Downloaders: fetch history from public sources into the store (Dukascopy's datafeed)."""

from mas.data.downloaders.dukascopy import (
    DEFAULT_BASE_URL,
    DownloadError,
    DownloadReport,
    download_dukascopy,
    plan_files,
)

__all__ = ["DEFAULT_BASE_URL", "DownloadError", "DownloadReport", "download_dukascopy", "plan_files"]
