"""The LLM backend against a real local OpenAI-compatible HTTP server (fixture answers, no internet)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.llm import LLMConfig, LLMError, propose_spec

SPEC = builtin_spec("rsi").model_dump(mode="json", exclude_none=True)


class FakeEndpoint(BaseHTTPRequestHandler):
    answers: list[tuple[int, str]] = []
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        status, content = type(self).answers.pop(0)
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture()
def endpoint():
    server = HTTPServer(("127.0.0.1", 0), FakeEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeEndpoint.answers, FakeEndpoint.requests = [], []
    yield LLMConfig(f"http://127.0.0.1:{server.server_port}/v1", "test-model", "secret", timeout=10)
    server.shutdown()
    server.server_close()


def test_a_proposed_spec_is_validated_and_explained(endpoint):
    FakeEndpoint.answers.append((200, json.dumps(SPEC)))
    parsed = propose_spec("RSI超賣時買進，超買時賣出", endpoint)
    assert parsed.spec == builtin_spec("rsi") and parsed.lang == "zh-tw" and "買進" in parsed.explanation
    sent = FakeEndpoint.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer secret"
    assert sent["body"]["model"] == "test-model"
    assert sent["body"]["messages"][-1]["content"] == "RSI超賣時買進，超買時賣出"
    schema = sent["body"]["response_format"]["json_schema"]["schema"]
    assert "entry_long" in schema["properties"]


def test_fenced_json_is_accepted(endpoint):
    FakeEndpoint.answers.append((200, "```json\n" + json.dumps(SPEC) + "\n```"))
    assert propose_spec("buy when RSI < 30", endpoint).spec == builtin_spec("rsi")


@pytest.mark.parametrize(("status", "content", "message"), [
    (200, "import os; os.system('echo hi')", "not JSON"),
    (200, json.dumps({"entry_long": {"kind": "compare", "left": "rsi", "op": "<", "right": 30}}), "invalid spec"),
    (500, "{}", "HTTP 500"),
])
def test_bad_answers_are_refused_never_run(endpoint, status, content, message):
    FakeEndpoint.answers.append((status, content))
    with pytest.raises(LLMError, match=message):
        propose_spec("buy when RSI < 30", endpoint)


def test_configuration_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("MAS_LLM_BASE_URL", raising=False)
    with pytest.raises(LLMError, match="MAS_LLM_BASE_URL"):
        LLMConfig.from_env()
    monkeypatch.setenv("MAS_LLM_BASE_URL", "http://localhost:11434/v1/")
    monkeypatch.setenv("MAS_LLM_MODEL", "qwen2.5")
    assert LLMConfig.from_env() == LLMConfig("http://localhost:11434/v1", "qwen2.5", "")
    monkeypatch.setenv("MAS_LLM_BASE_URL", "file:///etc/passwd")
    with pytest.raises(LLMError, match="http"):
        LLMConfig.from_env()


def test_unreachable_endpoint_is_a_clean_error():
    with pytest.raises(LLMError, match="could not reach"):
        propose_spec("buy when RSI < 30", LLMConfig("http://127.0.0.1:9/v1", "m", timeout=2))
