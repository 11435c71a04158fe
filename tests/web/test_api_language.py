"""The API answers in the page's language: the ``X-MAS-Lang`` header (the page sends the language of its menu) turns
the errors the application raises with a catalog key into Traditional or Simplified Chinese; the user's own words stay
as typed; without the header, or with a language the app does not have, English."""

from __future__ import annotations

import pytest

from .conftest import Session


def post(session: Session, path: str, body: dict, lang: str | None):
    headers = {"X-CSRF-Token": session.csrf}
    if lang is not None:
        headers["X-MAS-Lang"] = lang
    return session.client.post(path, json=body, headers=headers)


@pytest.mark.parametrize(("lang", "words"), [
    (None, 'could not read "moon"'), ("en", 'could not read "moon"'), ("fr", 'could not read "moon"'),
    ("zh-tw", '無法理解 "moon"'), ("zh-cn", '无法理解 "moon"'), ("ZH_TW", '無法理解 "moon"'),
])
def test_a_refused_text_is_explained_in_the_pages_language(session, lang, words):
    response = post(session, "/api/strategy/parse", {"text": "buy when the moon is full"}, lang)
    assert response.status_code == 422
    answer = response.json()
    assert words in answer["detail"], answer["detail"]
    assert answer["error"]["message"] == answer["detail"] and answer["error"]["fragment"] == "moon"


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_a_bad_backtest_request_is_refused_in_chinese(session):
    body = {"strategy": {"kind": "builtin", "name": "ma", "params": {"fsat": 10}}}
    english = post(session, "/api/backtests", body, None)
    traditional = post(session, "/api/backtests", body, "zh-tw")
    assert english.status_code == traditional.status_code == 422, (english.text, traditional.text)
    assert "fsat" in english.json()["detail"] and not chinese(english.json()["detail"])
    assert "fsat" in traditional.json()["detail"] and "您是指 'fast' 嗎？" in traditional.json()["detail"]


def test_a_failed_job_says_why_in_the_language_of_the_request_that_started_it(session):
    body = {"strategy": {"kind": "builtin", "name": "ma", "params": {}}, "symbol": "XYZABC"}
    errors = {}
    for lang in (None, "zh-cn"):
        response = post(session, "/api/backtests", body, lang)
        assert response.status_code == 202, response.text
        state = session.wait(response.json()["job"])
        assert state["state"] == "failed" and "XYZABC" in state["error"], state
        errors[lang] = state["error"]
    assert not chinese(errors[None]) and chinese(errors["zh-cn"]), errors


def test_a_missing_run_is_refused_in_the_pages_language(session):
    english = session.client.get("/api/runs/0123456789abcdef0123456789abcdef")
    chinese = session.client.get("/api/runs/0123456789abcdef0123456789abcdef", headers={"X-MAS-Lang": "zh-cn"})
    assert english.status_code == chinese.status_code == 404, (english.text, chinese.text)
    assert english.json()["detail"] == "no run 0123456789abcdef0123456789abcdef"
    assert chinese.json()["detail"] == "没有回测 0123456789abcdef0123456789abcdef"


def test_a_run_the_app_left_unfinished_says_why_in_the_pages_language(session):
    store = session.client.app.state.store
    ident = store.add_run("ma on EURUSD H1", {})
    assert store.fail_unfinished() == 1  # what the next start of the app does with a run its stop cut short
    english = "the app stopped before this run finished; run it again"
    for lang, expected in ((None, english), ("zh-tw", "此次執行尚未完成，應用程式就已停止；請再執行一次"),
                           ("zh-cn", "此次运行尚未完成，应用程序就已停止；请再运行一次")):
        headers = {"X-MAS-Lang": lang} if lang else {}
        for path in (f"/api/runs/{ident}", f"/api/jobs/{ident}"):
            assert session.client.get(path, headers=headers).json()["error"] == expected, (path, lang)
        listed = session.client.get("/api/runs", headers=headers).json()
        assert [r["error"] for r in listed if r["id"] == ident] == [expected]
    assert store.run(ident, with_document=False)["error"] == english  # kept in English, said when read
