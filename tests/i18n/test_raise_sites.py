"""The measure of translated errors (tests/i18n/raise_sites.py): it finds both kinds of raise site, and no module of
src/mas has an English-only raise left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from i18n.raise_sites import raise_sites

SAMPLE = """
from mas.i18n.errors import InputError, Text


class PlanError(ValueError):
    pass


def check(value):
    if value < 0:
        raise InputError("value_negative", value=value)
    if value == 0:
        raise PlanError(Text("plan_empty"))
    if value == 1:
        raise ValueError(f"value: {value} is one")
    if value == 2:
        raise LookupError("no such plan")
    if value == 3:
        raise NotImplementedError("later")
"""


def test_the_measure_counts_both_kinds(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "plans.py").write_text(SAMPLE, encoding="utf-8")
    translatable, english = raise_sites(package)
    assert [(line, kind) for _, line, kind in translatable] == [(11, "InputError"), (13, "PlanError")]
    assert [(line, kind) for _, line, kind in english] == [(15, "ValueError"), (17, "LookupError")]
    translatable, _ = raise_sites()
    assert len(translatable) >= 600
    assert ("mas/params.py", "InputError") in {(m, kind) for m, _, kind in translatable}


def test_no_english_only_raise_is_left_anywhere():
    """Every error a user can meet is raised with a catalog key (set_lang / mas --lang say it in their language)."""
    _, english = raise_sites()
    assert english == [], "\n".join(f"{module}:{line} ({kind})" for module, line, kind in english)


def test_the_script_prints_the_counts():
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("raise_sites.py")), "--summary"],
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.startswith("user-facing raise sites: ")
