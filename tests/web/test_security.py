"""Who gets in and what every request must carry: token, password, session cookie, CSRF, Host, headers."""

from __future__ import annotations

import pytest

from mas.web.security import Auth, BindError, SecurityConfig, check_bind, csrf_cookie, is_loopback, session_cookie

from .conftest import PORT, TEXT, Session, enter, make_client

PASSWORD = "correct horse battery"


def _set_cookies(response) -> dict[str, str]:
    """Set-Cookie headers by cookie name."""
    out = {}
    for header in response.headers.get_list("set-cookie"):
        out[header.split("=", 1)[0]] = header
    return out


def test_without_the_token_nothing_but_the_login_page_opens(app_client):
    assert app_client.get("/api/runs").status_code == 401
    assert "token" in app_client.get("/api/runs").json()["detail"]
    page = app_client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"
    assert app_client.get("/login").status_code == 200
    assert app_client.get("/static/app.css").status_code == 200


def test_a_wrong_token_is_refused_and_opens_no_session(app_client):
    response = app_client.get("/?token=test-token-12", follow_redirects=False)
    assert response.status_code == 403
    assert "token" in response.json()["detail"]
    assert session_cookie(PORT) not in _set_cookies(response)
    assert app_client.get("/api/runs").status_code == 401


def test_the_token_opens_a_session_in_an_httponly_samesite_strict_cookie(app_client):
    response = app_client.get("/?token=test-token-123", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"  # the token leaves the address bar
    cookies = _set_cookies(response)
    session = cookies[session_cookie(PORT)].lower()
    assert "httponly" in session and "samesite=strict" in session and "path=/" in session
    csrf = cookies[csrf_cookie(PORT)].lower()
    assert "samesite=strict" in csrf and "httponly" not in csrf  # the page's script reads it (double submit)
    assert "test-token-123" not in str(cookies)
    assert app_client.get("/api/runs").status_code == 200


@pytest.mark.parametrize("headers", [{}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": ""}])
def test_state_changing_requests_without_the_csrf_header_are_refused(session, headers):
    response = session.client.post("/api/strategy/parse", json={"text": TEXT}, headers=headers)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert session.client.delete("/api/strategies/1", headers=headers).status_code == 403
    assert session.post("/api/strategy/parse", {"text": TEXT}).status_code == 200


def test_a_matching_cookie_and_header_pair_of_another_session_is_refused(session):
    """Double submit plus the session's own token: a pair an attacker planted does not pass."""
    session.client.cookies.set(csrf_cookie(PORT), "planted", domain="127.0.0.1")
    response = session.client.post("/api/strategy/parse", json={"text": TEXT}, headers={"X-CSRF-Token": "planted"})
    assert response.status_code == 403


def test_cross_origin_requests_and_foreign_host_names_are_refused(session):
    evil = session.client.post("/api/strategy/parse", json={"text": TEXT},
                               headers={"X-CSRF-Token": session.csrf, "Origin": "http://evil.example"})
    assert evil.status_code == 403
    assert "cross-origin" in evil.json()["detail"]
    rebound = session.client.get("/api/runs", headers={"Host": "evil.example:8050"})  # DNS rebinding
    assert rebound.status_code == 403
    assert session.get("/api/runs", headers={"Host": "localhost:8050"}).status_code == 200


def test_every_response_carries_the_security_headers(session):
    for path in ("/", "/login", "/api/runs", "/static/app.css"):
        headers = session.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
    assert session.get("/api/runs").headers["cache-control"] == "no-store"


def test_logout_closes_the_session(session):
    assert session.post("/api/logout").status_code == 200
    assert session.get("/api/runs").status_code == 401


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_any_bind_address_but_loopback_needs_a_password(host):
    with pytest.raises(BindError, match="MAS_UI_PASSWORD"):
        check_bind(host, None)
    with pytest.raises(BindError, match="MAS_UI_PASSWORD"):
        Auth(SecurityConfig(host=host))
    check_bind(host, PASSWORD)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_no_password(host):
    assert is_loopback(host)
    check_bind(host, None)


def test_a_short_password_is_refused():
    with pytest.raises(BindError, match="at least 8"):
        check_bind("0.0.0.0", "short")


def test_password_login_with_a_lockout_after_repeated_failures(isolated_mas_home):
    with make_client(isolated_mas_home, host="0.0.0.0", password=PASSWORD) as client:
        assert client.get("/api/runs").status_code == 401
        client.get("/login")  # sets the login form's CSRF cookie
        csrf = client.cookies.get(csrf_cookie(PORT))
        login = Session(client, csrf)
        assert client.post("/api/login", json={"password": PASSWORD}).status_code == 403  # no CSRF header
        assert login.post("/api/login", {"password": "wrong one!"}).status_code == 403
        assert client.get("/api/runs").status_code == 401
        assert login.post("/api/login", {"password": PASSWORD}).status_code == 200
        assert client.get("/api/runs").status_code == 200
        assert client.get("/api/session").json() == {"logged_in": True, "password_required": True}
        login.csrf = client.cookies.get(csrf_cookie(PORT))  # the session's own token from now on
        for _ in range(5):
            login.post("/api/login", {"password": "wrong again"})
        blocked = login.post("/api/login", {"password": PASSWORD})
        assert blocked.status_code == 429 and "wait" in blocked.json()["detail"]


def test_a_tokenless_server_has_no_password_login(session):
    response = session.post("/api/login", {"password": PASSWORD})
    assert response.status_code == 400


def test_no_route_returns_the_token_or_the_password(isolated_mas_home):
    token = "tok-" + "x9" * 20
    with make_client(isolated_mas_home, host="0.0.0.0", password=PASSWORD, token=token) as client:
        session = Session(client, enter(client, token))
        session.backtest({"kind": "builtin", "name": "ma", "params": {}}, **{"from": "2017-01-01", "to": "2017-01-31"})
        paths = ["/", "/login", "/api/session", "/api/runs", "/api/strategies", "/api/strategy/builtins",
                 "/api/datasets", "/static/index.html", "/static/js/main.js", "/static/i18n/en.json"]
        run = session.get("/api/runs").json()[0]["id"]
        paths += [f"/api/runs/{run}", f"/api/jobs/{run}", f"/api/runs/{run}/trades.csv"]
        for path in paths:
            response = session.get(path)
            assert response.status_code == 200, path
            body = response.text + str(response.headers)
            assert token not in body and PASSWORD not in body, path
        assert token not in repr(SecurityConfig(token=token, password=PASSWORD))
        assert PASSWORD not in repr(SecurityConfig(token=token, password=PASSWORD))
