"""Report directory, file names and atomic writes."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from mas.reports import output
from mas.reports.output import report_file_name, resolve_report_dir, write_text_atomic


def test_report_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MAS_REPORT_DIR", raising=False)
    default = resolve_report_dir(None)
    assert default == tmp_path / "mas_reports" or default.resolve() == (tmp_path / "mas_reports").resolve()
    assert default.is_dir()

    env_dir = tmp_path / "from_env" / "nested"
    monkeypatch.setenv("MAS_REPORT_DIR", str(env_dir))
    assert resolve_report_dir({}) == env_dir and env_dir.is_dir()
    assert resolve_report_dir({"report_dir": ""}) == env_dir

    param_dir = tmp_path / "from_params"
    assert resolve_report_dir({"report_dir": str(param_dir)}) == param_dir and param_dir.is_dir()


def test_file_name_is_safe_and_carries_parts():
    when = datetime(2024, 5, 6, 7, 8, 9)
    name = report_file_name("kpi", "EURUSD", "SMA cross", when)
    assert name == "kpi_EURUSD_SMA_cross_20240506-070809.html"
    evil = report_file_name("chart", "../../etc/passwd", 'a/b\\c:*?"<>| 策略', when)
    assert "/" not in evil and "\\" not in evil and ".." not in evil
    assert all(ch.isalnum() or ch in "._-" for ch in evil)
    assert evil.startswith("chart_etc_passwd_") and evil.endswith("_20240506-070809.html")
    assert report_file_name("kpi", None, None, when) == "kpi_ALL_strategy_20240506-070809.html"
    assert report_file_name("data", "XAUUSD", "x", when, ext="json").endswith(".json")
    assert report_file_name("kpi", "EURUSD", "s").startswith("kpi_EURUSD_s_2")


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "r.html"
    assert write_text_atomic(target, "first") == target
    assert target.read_text() == "first"
    write_text_atomic(target, "second ✓")
    assert target.read_text(encoding="utf-8") == "second ✓"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_atomic_write_failure_keeps_old_file_and_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "r.html"
    write_text_atomic(target, "old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(output.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_gives_an_ordinary_file_mode(tmp_path):
    old = os.umask(0o027)
    try:
        path = write_text_atomic(tmp_path / "r.html", "x")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o640  # 0666 minus the umask, not mkstemp's 0600
    path = write_text_atomic(tmp_path / "s.html", "x")
    assert path.stat().st_mode & 0o777 == 0o666 & ~old


def test_unique_path(tmp_path):
    p = tmp_path / "a.html"
    assert output.unique_path(p) == p
    p.write_text("x")
    assert output.unique_path(p) == tmp_path / "a-1.html"
    assert not os.path.exists(tmp_path / "a-1.html")


def test_package_exports_load_html_writers_lazily():
    import mas.reports as reports

    assert callable(reports.compute_metrics) and callable(reports.build_data_report)
    assert reports.write_kpi_report.__name__ == "write_kpi_report"
    assert reports.write_trade_chart.__name__ == "write_trade_chart"
    with pytest.raises(AttributeError):
        reports.no_such_thing  # noqa: B018
