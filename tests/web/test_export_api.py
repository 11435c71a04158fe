"""Export through the API: the standalone program of a text, a spec or a built-in is exactly what
``mas strategy export`` writes for the same input; a live one names the profile and holds no password."""

from __future__ import annotations

import ast

from typer.testing import CliRunner

from mas.cli.strategy import app as strategy_app

from .conftest import TEXT

runner = CliRunner()


def test_the_program_is_what_mas_strategy_export_writes(session, tmp_path):
    response = session.post("/api/strategy/export", {"strategy": {"kind": "text", "text": TEXT}, "symbol": "EURUSD",
                                                     "timeframe": "H1", "from": "2017-02-01", "to": "2017-06-30"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/x-python")
    assert response.headers["content-disposition"].startswith('attachment; filename="') and \
        response.headers["content-disposition"].endswith('.py"')
    out = tmp_path / "cli.py"
    result = runner.invoke(strategy_app, ["export", TEXT, "-o", str(out), "--symbol", "EURUSD", "--timeframe", "H1",
                                          "--from", "2017-02-01", "--to", "2017-06-30"])
    assert result.exit_code == 0, result.output
    assert response.text == out.read_text(encoding="utf-8")
    ast.parse(response.text)  # a Python program


def test_a_live_program_of_a_builtin_names_the_profile_and_never_a_password(session, monkeypatch):
    monkeypatch.setenv("MAS_PASSWORD_PAPER", "Export-Pa55-Never-Written")
    response = session.post("/api/strategy/export", {"strategy": {"kind": "builtin", "name": "rsi",
                                                                  "params": {"period": 9}},
                                                     "live": True, "profile": "paper"})
    assert response.status_code == 200, response.text
    source = response.text
    assert "BACKTEST = False" in source and "paper" in source and "Export-Pa55" not in source
    assert "9" in source and response.headers["content-disposition"].endswith('_live.py"')
    ast.parse(source)


def test_careless_exports_are_refused_naming_the_field(session):
    bad_profile = session.post("/api/strategy/export", {"strategy": {"kind": "text", "text": TEXT},
                                                        "live": True, "profile": "no spaces!"})
    assert bad_profile.status_code == 422 and bad_profile.json()["detail"].startswith("profile")
    unread = session.post("/api/strategy/export", {"strategy": {"kind": "text", "text": "buy when the moon is full"}})
    assert unread.status_code == 422 and unread.json()["error"]["fragment"] == "moon"
    assert session.client.post("/api/strategy/export", json={"strategy": {"kind": "text", "text": TEXT}}
                               ).status_code == 403  # no CSRF header
