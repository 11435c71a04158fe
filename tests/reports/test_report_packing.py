"""The packed columns of the report pages (mas.reports.packing): exact round trips in Python (hypothesis) and the
same values from the pages' own decoder (``MASReport.col`` in assets/report.js, run in node)."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.reports.assets_js import report_js
from mas.reports.packing import exact_decimals, pack, unpack

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
values = st.lists(st.one_of(finite, st.just(float("nan")), st.integers(-10**6, 10**6).map(lambda i: i / 100.0),
                            st.integers(0, 10**7).map(lambda i: i / 100_000.0)), max_size=60)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit for bit, NaN equal to NaN (and -0.0 equal to 0.0, which the page shows alike)."""
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


@settings(max_examples=300, deadline=None)
@given(values)
def test_pack_round_trips_exactly(v):
    a = np.array(v, dtype=np.float64)
    assert same(unpack(pack(a)), a)


@settings(max_examples=200, deadline=None)
@given(values, st.integers(0, 6))
def test_pack_with_decimals_rounds_to_them(v, k):
    a = np.array(v, dtype=np.float64)
    a = a[~np.isfinite(a) | (np.abs(a) < 1e8)]
    expected = np.round(a * 10.0**k) / 10.0**k
    assert same(unpack(pack(a, k)), expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=2, max_size=80), st.sampled_from([1, 60, 3600, 86400]))
def test_regular_times_pack_as_runs_of_steps(gaps, step):
    t = 1_483_308_000 + np.cumsum(np.array(gaps) * step).astype(np.float64)
    col = pack(t)
    assert same(unpack(col), t) and col["k"] == 0
    if len(set(gaps)) == 1 and gaps[0] and len(t) >= 8:  # (a couple of differences are shorter as base64)
        assert col.get("r") == [[1, len(t) - 1]] and col["g"] == gaps[0] * step


def test_exact_decimals_by_hand():
    assert exact_decimals(np.array([1.12345, 1.1])) == 5 and exact_decimals(np.array([10_000.0, 3.0])) == 0
    assert exact_decimals(np.array([0.1 + 0.2])) is None  # 0.30000000000000004: raw float64 then
    assert pack([0.1 + 0.2])["t"] == "f8" and pack([1.5, float("nan")], float32=True)["t"] == "f4"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_pages_decoder_gives_the_same_values(sample_rates):
    rng = np.random.default_rng(7)
    cases = [
        np.asarray(sample_rates["close"], dtype=np.float64),
        np.asarray(sample_rates["time"], dtype=np.float64),
        np.where(np.arange(500) % 3 == 0, np.nan, np.round(rng.normal(0, 50, 500), 2)),  # many NaN runs: a bitmask
        np.concatenate(([np.nan] * 4, np.arange(10.0), [np.nan])),
        rng.normal(size=100),  # raw float64
        np.array([]),
        np.array([2**40 + 0.5, -3.25, 7.0]),
    ]
    packed = [pack(c) for c in cases] + [pack(cases[2], 1), pack(cases[4], float32=True)]
    program = "global.window = global;\n" + report_js() + (
        "\nprocess.stdout.write(JSON.stringify(" + json.dumps(packed) + ".map(function (p) {"
        " return Array.from(MASReport.col(p)).map(function (v) { return v === v ? v : 'nan'; }); })));")
    done = subprocess.run([shutil.which("node"), "-e", program], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    decoded = json.loads(done.stdout)
    for col, js in zip(packed, decoded, strict=True):
        assert same(np.array([np.nan if v == "nan" else v for v in js], dtype=np.float64), unpack(col))
