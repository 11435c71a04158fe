"""The LLM backend against a real local OpenAI-compatible HTTP server (scripted answers, no internet)."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.llm import (
    LLMConfig,
    LLMError,
    LLMProposal,
    _read_json,
    propose_spec,
    spec_differences,
    unstated_numbers,
)
from mas.strategy.parse import parse_text
from mas.strategy.spec import SpecError, spec_from_dict

SPEC = builtin_spec("rsi").model_dump(mode="json", exclude_none=True)
TEXT = "buy when RSI(14) < 30, sell when RSI > 70"
KEY = "sk-test-0123456789abcdef"


class FakeEndpoint(BaseHTTPRequestHandler):
    """Answers POST /v1/chat/completions with the next scripted reply and records every request.

    A reply is (status, content): 200 wraps ``content`` in a chat completion, other statuses send
    ``content`` as an OpenAI-style error message. ``raw`` sends ``content`` as the body unchanged;
    ``hang`` waits (bounded) until the test ends.
    """

    answers: list[tuple[int | str, str]] = []
    requests: list[dict] = []
    release = threading.Event()

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        status, content = type(self).answers.pop(0)
        if status == "hang":
            type(self).release.wait(30)
            return
        if status == "raw":
            payload, status = content.encode(), 200
        elif status == 200:
            payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        else:
            payload = json.dumps({"error": {"message": content, "type": "invalid_request_error"}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that stops reading is not a test failure
        pass


@pytest.fixture()
def endpoint():
    server = QuietServer(("127.0.0.1", 0), FakeEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeEndpoint.answers, FakeEndpoint.requests = [], []
    FakeEndpoint.release = threading.Event()
    yield LLMConfig(f"http://127.0.0.1:{server.server_port}/v1", "test-model", KEY, timeout=10)
    FakeEndpoint.release.set()
    server.shutdown()
    server.server_close()


def reply(*items: tuple[int | str, str]) -> None:
    FakeEndpoint.answers.extend(items)


def sent(i: int) -> dict:
    return FakeEndpoint.requests[i]["body"]


# --------------------------------------------------------------------------- valid answers


def test_a_proposed_spec_is_validated_explained_and_compared(endpoint):
    reply((200, json.dumps(SPEC)))
    proposal = propose_spec(TEXT, endpoint)
    assert isinstance(proposal, LLMProposal)
    assert proposal.spec == builtin_spec("rsi") and proposal.lang == "en"
    assert proposal.mode == "json_schema" and proposal.answers == 1
    assert proposal.deterministic == parse_text(TEXT).spec and proposal.differences == ()
    assert "RSI(14) is below 30" in proposal.explanation
    assert proposal.explanation.endswith("The offline parser reads this text the same way.")
    request = FakeEndpoint.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == f"Bearer {KEY}"
    body = request["body"]
    assert body["model"] == "test-model" and body["temperature"] == 0
    assert body["messages"][0]["role"] == "system" and body["messages"][-1] == {"role": "user", "content": TEXT}
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert {"entry_long", "exit_long", "risk", "indicators"} <= set(schema["properties"])


def test_chinese_text_is_explained_in_chinese(endpoint):
    reply((200, json.dumps(SPEC)))
    proposal = propose_spec("RSI超賣時買進，超買時賣出", endpoint)
    assert proposal.lang == "zh-tw" and "買進" in proposal.explanation
    assert proposal.unstated == ("entry_long.right = 30", "exit_long.right = 70")  # the model chose the levels
    assert "文字中沒有的數字（由 LLM 選定，請確認）：entry_long.right = 30; exit_long.right = 70" in \
        proposal.explanation
    assert sent(0)["messages"][-1]["content"] == "RSI超賣時買進，超買時賣出"


def test_a_different_reading_is_shown_field_by_field(endpoint):
    other = json.loads(json.dumps(SPEC))
    other["entry_long"]["right"] = 25
    other["risk"]["stop_loss"] = {"unit": "pips", "value": 20}
    other["symbol"] = "EURUSD"
    reply((200, json.dumps(other)))
    proposal = propose_spec(TEXT, endpoint)
    assert len(proposal.differences) == 3
    entry, stop, symbol = (next(d for d in proposal.differences if d.startswith(f)) for f in
                           ("long entry:", "stop loss:", "symbol:"))
    assert entry == "long entry: the parser says RSI(14) is below 30, the LLM says RSI(14) is below 25"
    assert stop == "stop loss: the parser says nothing, the LLM says 20 pips"
    assert symbol == "symbol: the parser says nothing, the LLM says EURUSD"
    assert proposal.unstated == ("entry_long.right = 25", "risk.stop_loss.value = 20")
    assert "Numbers the text does not state (the LLM chose them; check them): entry_long.right = 25; " \
           "risk.stop_loss.value = 20" in proposal.explanation
    assert "The offline parser reads this text differently:\n- " in proposal.explanation
    assert all(f"- {d}" in proposal.explanation for d in proposal.differences)


def test_no_comparison_when_the_parser_refuses_the_text(endpoint):
    reply((200, json.dumps(SPEC)))
    proposal = propose_spec("zorp the flibber when the moon is blue", endpoint)
    assert proposal.deterministic is None and proposal.differences == ()
    assert "offline parser" not in proposal.explanation


def test_spec_differences_in_chinese_and_ids_do_not_matter():
    renamed = json.loads(json.dumps(SPEC).replace("rsi_14", "my_rsi"))
    assert spec_differences(builtin_spec("rsi"), spec_from_dict(renamed)) == []
    other = json.loads(json.dumps(SPEC))
    other["exit_long"] = None
    other["indicators"].append({"id": "sma_50", "kind": "sma", "period": 50})
    lines = spec_differences(builtin_spec("rsi"), spec_from_dict(other), "zh-tw")
    assert any(line.startswith("多單出場：解析器為 ") and line.endswith("LLM為 無") for line in lines)
    assert any("sma(period=50" in line and "只有LLM定義" in line for line in lines)


def test_numbers_the_text_does_not_state_are_listed():
    spec = builtin_spec("rsi")
    assert unstated_numbers(spec, TEXT) == []
    assert unstated_numbers(spec, "RSI < 30 then > 70") == []  # defaults (0.1 lots, RSI period 14) are not listed
    assert unstated_numbers(spec, "ＲＳＩ低於３０買進，高於７０賣出") == []  # full-width digits count
    assert unstated_numbers(spec, "RSI below 30 buys") == ["exit_long.right = 70"]
    slow = spec_from_dict({**SPEC, "indicators": [{"id": "rsi_21", "kind": "rsi", "period": 21}],
                           "entry_long": {**SPEC["entry_long"], "left": "rsi_21"}, "exit_long": None})
    assert unstated_numbers(slow, "RSI below 30") == ["indicators[rsi_21].period = 21"]


@pytest.mark.parametrize("content", [
    "```json\n" + json.dumps(SPEC) + "\n```",
    "Here is the spec you asked for:\n```\n" + json.dumps(SPEC, indent=2) + "\n```\nIt buys oversold RSI.",
    "Sure! " + json.dumps(SPEC) + " Let me know if you need changes.",
])
def test_fenced_or_wrapped_json_is_accepted(endpoint, content):
    reply((200, content))
    proposal = propose_spec(TEXT, endpoint)
    assert proposal.spec == builtin_spec("rsi") and proposal.answers == 1


@given(st.dictionaries(st.text(min_size=1, max_size=8) | st.just("```"),
                       st.integers() | st.text(max_size=8) | st.booleans() | st.just("```json\n{"), max_size=5),
       st.sampled_from(["{}", "```json\n{}\n```", "Answer:\n```\n{}\n```\nDone.", "The spec: {} (as asked)"]))
def test_any_object_is_read_back_bare_fenced_or_in_prose(data, wrapper):
    assert _read_json(wrapper.replace("{}", json.dumps(data), 1)) == data


# --------------------------------------------------------------------------- repair rounds


def test_malformed_json_is_repaired_in_round_two_with_the_error_fed_back(endpoint):
    broken = json.dumps(SPEC)[:-20]
    reply((200, broken), (200, json.dumps(SPEC)))
    proposal = propose_spec(TEXT, endpoint)
    assert proposal.spec == builtin_spec("rsi") and proposal.answers == 2
    assert len(FakeEndpoint.requests) == 2
    messages = sent(1)["messages"]
    assert messages[:2] == sent(0)["messages"]
    assert messages[2] == {"role": "assistant", "content": broken}
    assert messages[3]["role"] == "user" and "not valid JSON" in messages[3]["content"]
    assert sent(1)["response_format"] == sent(0)["response_format"]


def test_an_invalid_spec_gets_the_validators_exact_errors_back(endpoint):
    bad = {"indicators": [{"id": "rsi_14", "kind": "rsi", "period": 14}],
           "entry_long": {"kind": "compare", "left": "rsi", "op": "<", "right": 30}}
    with pytest.raises(SpecError) as validator:
        spec_from_dict(bad)
    reply((200, json.dumps(bad)), (200, json.dumps(SPEC)))
    assert propose_spec(TEXT, endpoint).answers == 2
    feedback = sent(1)["messages"][-1]["content"]
    assert str(validator.value) in feedback and "'rsi' names no indicator" in feedback


def test_an_answer_that_never_becomes_valid_stops_after_the_bounded_rounds(endpoint, tmp_path):
    marker = tmp_path / "ran"
    code = f"import pathlib; pathlib.Path({str(marker)!r}).write_text('x')"
    reply(*[(200, code)] * 10)
    with pytest.raises(LLMError, match=r"no valid spec in 3 answers \(2 repair rounds\); the last problem: "
                                       r"the answer is not JSON"):
        propose_spec(TEXT, endpoint)
    assert len(FakeEndpoint.requests) == 3 and not marker.exists()  # never executed
    assert [m["role"] for m in sent(2)["messages"]] == ["system", "user", "assistant", "user", "assistant", "user"]


def test_no_repair_rounds_means_one_request(endpoint):
    config = LLMConfig(endpoint.base_url, endpoint.model, KEY, timeout=10, max_repairs=0)
    reply((200, "[1, 2, 3]"), (200, json.dumps(SPEC)))
    with pytest.raises(LLMError, match="JSON list; expected one JSON object"):
        propose_spec(TEXT, config)
    assert len(FakeEndpoint.requests) == 1


# --------------------------------------------------------------------------- response_format fallback


def test_a_refused_json_schema_is_asked_again_in_json_object_mode(endpoint):
    reply((400, "response_format json_schema is not supported by this model"), (200, json.dumps(SPEC)))
    proposal = propose_spec(TEXT, endpoint)
    assert proposal.spec == builtin_spec("rsi") and proposal.mode == "json_object"
    assert sent(0)["response_format"]["type"] == "json_schema"
    assert sent(1)["response_format"] == {"type": "json_object"}
    assert '"entry_long"' in sent(1)["messages"][0]["content"]  # the schema moved into the instructions
    assert '"entry_long"' not in sent(0)["messages"][0]["content"].split("Example")[0]


def test_json_object_refused_too_falls_back_to_plain_and_repairs_keep_that_mode(endpoint):
    reply((400, "unknown field response_format"), (422, "json_object unsupported"), (200, "not json at all"),
          (200, json.dumps(SPEC)))
    proposal = propose_spec(TEXT, endpoint)
    assert proposal.mode == "plain" and proposal.answers == 2
    assert "response_format" not in sent(2) and "response_format" not in sent(3)
    assert len(FakeEndpoint.requests) == 4


def test_a_server_that_refuses_every_format_gets_three_tries_then_a_clear_error(endpoint):
    reply(*[(400, "context length exceeded")] * 5)
    with pytest.raises(LLMError, match="HTTP 400 after trying response_format json_schema, json_object, plain: "
                                       "context length exceeded"):
        propose_spec(TEXT, endpoint)
    assert len(FakeEndpoint.requests) == 3


@pytest.mark.parametrize(("status", "message", "hint"), [
    (500, "CUDA out of memory", "HTTP 500: CUDA out of memory"),
    (404, "model 'test-model' not found", "check MAS_LLM_BASE_URL"),
])
def test_other_http_errors_are_not_retried(endpoint, status, message, hint):
    reply((status, message), (200, json.dumps(SPEC)))
    with pytest.raises(LLMError, match=hint):
        propose_spec(TEXT, endpoint)
    assert len(FakeEndpoint.requests) == 1


# --------------------------------------------------------------------------- transport failures


def test_a_server_that_does_not_answer_times_out(endpoint):
    config = LLMConfig(endpoint.base_url, endpoint.model, KEY, timeout=0.5)
    reply(("hang", ""))
    with pytest.raises(LLMError, match=r"did not answer within 0.5 s \(raise MAS_LLM_TIMEOUT"):
        propose_spec(TEXT, config)


def test_a_huge_answer_is_refused_unread(endpoint):
    reply((200, json.dumps(SPEC) + " " * 1_100_000))
    with pytest.raises(LLMError, match="larger than 1 MB"):
        propose_spec(TEXT, endpoint)


def test_a_body_that_is_not_json_is_a_clear_error(endpoint):
    reply(("raw", "<html><body>Welcome to nginx!</body></html>"))
    with pytest.raises(LLMError, match=r"did not answer with JSON \(is it an OpenAI-compatible /v1 URL\?\).*nginx"):
        propose_spec(TEXT, endpoint)


def test_a_completion_without_content_is_a_clear_error(endpoint):
    reply(("raw", json.dumps({"choices": []})))
    with pytest.raises(LLMError, match=r"no choices\[0\]\.message\.content"):
        propose_spec(TEXT, endpoint)


def test_unreachable_endpoint_is_a_clean_error():
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(LLMError, match=rf"could not reach the LLM endpoint http://127.0.0.1:{port}/v1: .*"
                                       r"is the server running\?"):
        propose_spec(TEXT, LLMConfig(f"http://127.0.0.1:{port}/v1", "m", KEY, timeout=2))


# --------------------------------------------------------------------------- the key stays secret


def test_the_api_key_never_appears_in_errors_logs_or_repr(endpoint, caplog):
    caplog.set_level(logging.DEBUG)
    reply((400, f"json_schema unsupported for key {KEY}"), (401, f"Incorrect API key provided: {KEY}"))
    with pytest.raises(LLMError) as error:
        propose_spec(TEXT, endpoint)
    assert "HTTP 401" in str(error.value) and "check MAS_LLM_API_KEY" in str(error.value)
    assert "***" in str(error.value) and KEY not in str(error.value)
    assert "json_schema" in caplog.text and KEY not in caplog.text
    assert KEY not in repr(endpoint) and "test-model" in repr(endpoint)


def test_credentials_in_the_base_url_are_refused_without_showing_them(monkeypatch):
    monkeypatch.setenv("MAS_LLM_BASE_URL", "http://alice:hunter2secret@127.0.0.1:8000/v1")
    monkeypatch.setenv("MAS_LLM_MODEL", "m")
    with pytest.raises(LLMError, match="carries credentials.*MAS_LLM_API_KEY") as error:
        LLMConfig.from_env()
    assert "hunter2secret" not in str(error.value) and "127.0.0.1:8000" in str(error.value)


# --------------------------------------------------------------------------- configuration and the CLI


def test_configuration_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("MAS_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("MAS_LLM_TIMEOUT", raising=False)
    monkeypatch.delenv("MAS_LLM_API_KEY", raising=False)
    with pytest.raises(LLMError, match="MAS_LLM_BASE_URL"):
        LLMConfig.from_env()
    monkeypatch.setenv("MAS_LLM_BASE_URL", "http://localhost:11434/v1/")
    monkeypatch.setenv("MAS_LLM_MODEL", "qwen2.5")
    assert LLMConfig.from_env() == LLMConfig("http://localhost:11434/v1", "qwen2.5", "")
    monkeypatch.setenv("MAS_LLM_TIMEOUT", "120")
    assert LLMConfig.from_env().timeout == 120
    monkeypatch.setenv("MAS_LLM_TIMEOUT", "soon")
    with pytest.raises(LLMError, match="MAS_LLM_TIMEOUT: expected seconds"):
        LLMConfig.from_env()
    monkeypatch.setenv("MAS_LLM_TIMEOUT", "0")
    with pytest.raises(LLMError, match="timeout: expected a positive"):
        LLMConfig.from_env()
    monkeypatch.setenv("MAS_LLM_BASE_URL", "file:///etc/passwd")
    with pytest.raises(LLMError, match="http"):
        LLMConfig.from_env()


def test_empty_text_is_refused_before_any_request(endpoint):
    with pytest.raises(LLMError, match="the text is empty"):
        propose_spec("   ", endpoint)
    with pytest.raises(LLMError, match="too long for the LLM backend"):
        propose_spec("buy when RSI < 30. " * 2000, endpoint)
    assert FakeEndpoint.requests == []


def test_the_cli_prints_the_spec_and_the_comparison(endpoint, tmp_path):
    reply((200, json.dumps({**SPEC, "risk": {"lots": 0.5}})))
    env = {**os.environ, "MAS_LLM_BASE_URL": endpoint.base_url, "MAS_LLM_MODEL": "test-model",
           "MAS_LLM_API_KEY": KEY, "MAS_LLM_TIMEOUT": "20"}
    out = tmp_path / "spec.json"
    result = subprocess.run([sys.executable, "-m", "mas", "strategy", "parse", TEXT, "--llm", "-o", str(out)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert spec_from_dict(json.loads(Path(out).read_text())).risk.lots == 0.5
    assert "lots: the parser says 0.1, the LLM says 0.5" in result.stdout
    assert KEY not in result.stdout + result.stderr
    reply(*[(200, "nope")] * 3)
    failed = subprocess.run([sys.executable, "-m", "mas", "strategy", "parse", TEXT, "--llm"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert failed.returncode == 2 and "no valid spec in 3 answers" in failed.stdout + failed.stderr
