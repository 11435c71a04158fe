"""The shipped front end: every label in three languages, every script and style from the package, no CDN."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mas.web.app import STATIC, plotly_js

LANGS = ("en", "zh-tw", "zh-cn")


def _labels(lang: str) -> dict[str, str]:
    return json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def _used_keys() -> set[str]:
    """Label keys the pages name: data-i18n attributes, t("...") calls and t(`prefix.${...}`) families."""
    keys: set[str] = set()
    for path in [*STATIC.glob("*.html"), *(STATIC / "js").glob("*.js")]:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'data-i18n(?:-placeholder|-title)?="([a-z_.]+)"', text))
        keys |= set(re.findall(r'\bt\("([a-z_]+\.[a-z_]+)"', text))
    return keys


def test_the_three_languages_label_the_same_keys():
    english = _labels("en")
    for lang in LANGS[1:]:
        labels = _labels(lang)
        assert set(labels) == set(english), lang
        assert all(isinstance(v, str) and v.strip() for v in labels.values()), lang


def test_every_label_the_pages_use_exists():
    missing = _used_keys() - set(_labels("en"))
    assert not missing
    assert len(_used_keys()) > 60


@pytest.mark.parametrize("family", ["kpi", "state", "model", "trade", "rule", "unit", "kind", "direction", "exit"])
def test_label_families_built_at_run_time_are_complete(family):
    expected = {
        "kpi": ["total_return_rate", "win_rate", "profit_factor", "max_drawdown", "sharpe_ratio", "number_of_trades",
                "final_equity"],
        "state": ["queued", "running", "done", "failed", "cancelled"],
        "model": ["open_prices", "ohlc", "every_tick", "real_ticks"],
        "trade": ["position_id", "open_time", "direction", "volume", "open_price", "close_time", "close_price", "sl",
                  "tp", "swap", "profit", "exit_reason"],
        "rule": ["entry_long", "exit_long", "entry_short", "exit_short"],
        "unit": ["pips", "points", "percent", "atr"],
        "kind": ["text", "spec", "builtin"],
        "direction": ["buy", "sell"],
        "exit": ["client", "expert", "sl", "tp", "so", "end"],
    }[family]
    for lang in LANGS:
        labels = _labels(lang)
        assert [k for k in expected if f"{family}.{k}" not in labels] == [], lang


def test_chinese_labels_are_chinese_and_the_two_scripts_differ():
    tw, cn = _labels("zh-tw"), _labels("zh-cn")
    assert tw["kpi.win_rate"] == "勝率" and cn["kpi.win_rate"] == "胜率"
    assert sum(tw[k] != cn[k] for k in tw) > 40


def test_pages_load_nothing_from_outside_the_package():
    for path in [*STATIC.glob("*.html"), *STATIC.glob("*.css"), *(STATIC / "js").glob("*.js")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path.name
        assert not re.search(r"""(import|fetch)\s*\(?\s*["'`]https?://""", text), path.name
        assert "<script>" not in text and " on" + "click=" not in text, path.name  # CSP: no inline script


def test_plotly_comes_from_the_installed_python_package():
    path = plotly_js()
    assert path.name == "plotly.min.js" and path.stat().st_size > 1_000_000
    assert Path(__import__("plotly").__file__).parent in path.parents


def test_the_package_data_lists_the_static_files():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    patterns = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["mas"]
    package = STATIC.parents[1]
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    files = {p for p in STATIC.rglob("*") if p.is_file()}
    assert files and files <= shipped
