"""The measure of translated errors (tests/i18n/raise_sites.py): it finds both kinds of raise site, and the
modules of the command line's language work (LANG20) have no English-only raise left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from i18n.raise_sites import raise_sites

TRANSLATED_MODULES = ("mas/choices.py", "mas/params.py", "mas/cli/errors.py", "mas/cli/options.py",
                      "mas/cli/data.py", "mas/cli/sim.py", "mas/cli/strategy.py", "mas/cli/lang.py",
                      "mas/cli/main.py", "mas/cli/help.py", "mas/backtest/preflight.py", "mas/data/validation.py",
                      "mas/data/missing.py", "mas/i18n/__init__.py", "mas/i18n/errors.py")
"""The modules of this work (the others' English-only raises are counted by the script, not held here)."""


def test_the_measure_counts_both_kinds():
    translatable, english = raise_sites()
    assert len(translatable) >= 80 and english
    assert ("mas/params.py", "InputError") in {(m, kind) for m, _, kind in translatable}


def test_no_english_only_raise_is_left_in_the_translated_modules():
    _, english = raise_sites()
    left = [site for site in english if site[0] in TRANSLATED_MODULES]
    assert left == []


def test_the_script_prints_the_counts():
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("raise_sites.py")), "--summary"],
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.startswith("user-facing raise sites: ")
