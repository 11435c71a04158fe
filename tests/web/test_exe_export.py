"""The executable export: without PyInstaller the API and the page say how to get it (``pip install
"mas-sdk[exe]"``) instead of offering a broken button; with it, a build runs in the background with progress and
gives one file (that test runs only where PyInstaller is installed)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import time

import pytest

from mas.web import executables

from .conftest import CHROMIUM
from .server import running_ui
from .test_upload_optimize import CROSS
from .test_upload_strategy import post_file

MA = {"kind": "builtin", "name": "ma", "params": {}}
HAS_PYINSTALLER = importlib.util.find_spec("PyInstaller") is not None


def test_without_pyinstaller_the_api_says_how_to_install_it(session, monkeypatch):
    monkeypatch.setattr(executables, "available", lambda: False)
    info = session.get("/api/export/exe").json()
    assert info == {"available": False, "install": 'pip install "mas-sdk[exe]"'}
    refused = session.post("/api/export/exe", {"strategy": MA})
    assert refused.status_code == 409
    assert refused.json()["detail"] == 'building an executable needs PyInstaller: pip install "mas-sdk[exe]"'
    assert session.get("/api/export/exe/" + "0" * 32).status_code == 404
    assert session.client.post("/api/export/exe", json={"strategy": MA}).status_code == 403  # no CSRF header


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
@pytest.mark.skipif(HAS_PYINSTALLER, reason="PyInstaller is installed here: the page offers the build instead")
def test_without_pyinstaller_the_page_shows_the_install_command(isolated_mas_home, artifacts, chromium):
    from .test_browser import open_page

    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home) as url:
        page = open_page(chromium, url, problems, external)
        page.click("li[data-builtin='ma'] button")
        page.wait_for_selector("#page-backtest:not([hidden])")
        page.wait_for_selector("#exe-missing:not([hidden])")
        assert page.inner_text("#exe-install") == 'pip install "mas-sdk[exe]"'
        assert page.is_hidden("#exe-button")
        page.select_option("#lang", "zh-tw")
        page.wait_for_selector("#exe-missing span:has-text('單一執行檔')")  # the note in the page's language
        assert page.inner_text("#exe-install") == 'pip install "mas-sdk[exe]"'
        # the Chinese text is drawn with the package's own font (loaded from the app, whatever the machine has)
        loaded = page.evaluate("""async () => (await document.fonts.load('16px "MAS CJK TC"', '執行檔'))
                                  .map((face) => face.family)""")
        assert loaded == ['"MAS CJK TC"'] or loaded == ["MAS CJK TC"]
        assert "MAS CJK TC" in page.evaluate("getComputedStyle(document.documentElement).fontFamily")
        page.screenshot(path=str(artifacts / "backtest-zh-tw.png"), full_page=True)
    assert problems == [] and external == []


def finish(session, ident: str, limit: float = 900.0) -> dict:
    deadline = time.monotonic() + limit
    seen = []
    for _ in range(10_000):
        build = session.get(f"/api/export/exe/{ident}").json()
        seen.append(build["lines"])
        if build["state"] not in ("queued", "running") or time.monotonic() > deadline:
            build["seen"] = seen
            return build
        time.sleep(0.2)
    return build


@pytest.mark.skipif(not HAS_PYINSTALLER, reason='PyInstaller is not installed (pip install "mas-sdk[exe]")')
def test_a_build_gives_one_executable_that_runs_the_uploaded_strategy(session, tmp_path, monkeypatch):
    marker = tmp_path / "marker.txt"
    monkeypatch.setenv("MAS_TEST_MARKER", str(marker))
    source = post_file(session, "my cross.py", CROSS.encode()).json()
    started = session.post("/api/export/exe", {"strategy": source, "from": "2017-01-01", "to": "2017-01-31"})
    assert started.status_code == 202, started.text
    build = finish(session, started.json()["id"])
    assert build["state"] == "done", build
    assert build["seen"][-1] > 0 and build["phase"]  # progress: PyInstaller's log lines
    assert not marker.exists()  # building read the strategy, it never ran it
    response = session.get(f"/api/export/exe/{build['id']}/file")
    assert response.status_code == 200 and response.headers["content-type"] == "application/octet-stream"
    program = tmp_path / "program"
    program.write_bytes(response.content)
    program.chmod(0o755)
    done = subprocess.run([str(program)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "MAS_TEST_MARKER": str(marker)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert marker.read_text() == "ran\n"  # the executable ran the strategy file it carries


@pytest.mark.skipif(not HAS_PYINSTALLER, reason='PyInstaller is not installed (pip install "mas-sdk[exe]")')
def test_a_build_can_be_cancelled(session):
    started = session.post("/api/export/exe", {"strategy": MA})
    assert started.status_code == 202, started.text
    ident = started.json()["id"]
    assert session.post(f"/api/export/exe/{ident}/cancel").json()["state"] == "cancelled"
    build = finish(session, ident)
    assert build["state"] == "cancelled"
    assert session.get(f"/api/export/exe/{ident}/file").status_code == 409
