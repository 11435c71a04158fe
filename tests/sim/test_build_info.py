"""Which engine build runs (mypyc-compiled or pure Python), and the warning for a stale compiled copy."""

from __future__ import annotations

import importlib.machinery
import os

import pytest

from mas import build_info


def test_engine_build_is_reported_and_ci_runs_the_compiled_one():
    build = build_info.engine_build()
    assert build in ("compiled", "partly compiled", "pure Python")
    if os.environ.get("MAS_EXPECT_COMPILED") == "1":  # set by .ci/run: the install must have compiled the engine
        assert build == "compiled"


def test_a_source_edited_after_its_compiled_copy_is_reported(tmp_path, monkeypatch):
    package = tmp_path / "mas" / "sim"
    package.mkdir(parents=True)
    source = package / "clock.py"
    compiled = package / ("clock" + importlib.machinery.EXTENSION_SUFFIXES[0])
    source.write_text("# source\n")
    compiled.write_bytes(b"\0")
    os.utime(compiled, (1_000_000, 1_000_000))
    os.utime(source, (1_000_001, 1_000_001))  # within the tolerance: a fresh install
    monkeypatch.setattr(build_info, "_PACKAGE_ROOT", tmp_path)
    assert build_info.stale_compiled_modules() == []
    os.utime(source, (1_000_100, 1_000_100))  # edited later
    assert build_info.stale_compiled_modules() == ["mas.sim.clock"]
    with pytest.warns(RuntimeWarning, match="mas.sim.clock.*pip install -e"):
        build_info.warn_if_stale()
