"""Fixtures for the web app tests: an isolated MAS_HOME, an app behind the ASGI test client, a logged-in client."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mas.web.app import WebConfig, create_app
from mas.web.security import SecurityConfig, csrf_cookie

BASE = "http://127.0.0.1:8050"
PORT = 8050
TEXT = "buy when RSI(14) < 30, sell when RSI(14) > 70, stop loss 50 pips, take profit 100 pips"
YEAR = {"from": "2017-01-01", "to": "2017-12-31"}
CHROMIUM = Path("/usr/bin/chromium")  # the same browser as tests/conftest.py's chromium fixture


@pytest.fixture(autouse=True)
def isolated_mas_home(isolated_mas_home: Path, monkeypatch) -> Path:
    """The suite's isolated home (tests/conftest.py), where the web app's database goes; no web app password from
    the caller either."""
    monkeypatch.delenv("MAS_UI_PASSWORD", raising=False)
    return isolated_mas_home


def make_client(home: Path, *, host: str = "127.0.0.1", password: str | None = None, token: str = "test-token-123",
                workers: int = 2) -> TestClient:
    security = SecurityConfig(host=host, port=PORT, token=token, password=password)
    return TestClient(create_app(WebConfig(security=security, home=home, workers=workers)), base_url=BASE)


def enter(client: TestClient, token: str = "test-token-123") -> str:
    """Open the token URL (as the printed link does); the CSRF token the page would send."""
    response = client.get(f"/?token={token}")
    assert response.status_code == 200, response.text
    return client.cookies.get(csrf_cookie(PORT))


class Session:
    """A logged-in client: JSON calls with the CSRF header, as the page's script makes them."""

    def __init__(self, client: TestClient, csrf: str) -> None:
        self.client, self.csrf = client, csrf

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.client.post(path, json=body, headers={"X-CSRF-Token": self.csrf}, **kw)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers={"X-CSRF-Token": self.csrf})

    def wait(self, job: str, limit: float = 120.0) -> dict[str, Any]:
        """Poll the job until it ends (bounded in count and time); its last state."""
        deadline = time.monotonic() + limit
        for _ in range(20_000):
            state = self.get(f"/api/jobs/{job}").json()
            if state["state"] in ("done", "failed", "cancelled") or time.monotonic() > deadline:
                return state
            time.sleep(0.02)
        return state

    def backtest(self, strategy: dict[str, Any], **options: Any) -> dict[str, Any]:
        """Run a backtest to its end; the run (with its document)."""
        response = self.post("/api/backtests", {"strategy": strategy, **options})
        assert response.status_code == 202, response.text
        state = self.wait(response.json()["job"])
        assert state["state"] == "done", state
        return self.get(f"/api/runs/{state['id']}").json()


@pytest.fixture()
def app_client(isolated_mas_home):
    with make_client(isolated_mas_home) as client:
        yield client


@pytest.fixture()
def session(app_client) -> Session:
    return Session(app_client, enter(app_client))


def until(predicate, limit: float = 120.0):
    """Poll ``predicate`` every 10 ms until it returns something truthy (returned) or ``limit`` seconds passed (its
    last value returned)."""
    deadline = time.monotonic() + limit
    for _ in range(100_000):
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.01)
    return predicate()
