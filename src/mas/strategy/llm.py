"""Optional LLM backend: any OpenAI-compatible chat-completions endpoint proposes a spec.

Configured by ``MAS_LLM_BASE_URL`` (e.g. ``http://localhost:11434/v1`` for Ollama),
``MAS_LLM_MODEL`` and ``MAS_LLM_API_KEY`` (optional for local servers). The request asks for JSON
constrained by the spec's JSON schema (``response_format`` ``json_schema``); the answer is parsed
as JSON data only and validated like any other spec, then explained back. Generated text or code
is never executed. The HTTP call uses the standard library, so no extra package is needed.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.parse import ParsedText
from mas.strategy.parse.lexer import detect_language
from mas.strategy.spec import SpecError, spec_from_dict, spec_json_schema

__all__ = ["LLMConfig", "LLMError", "propose_spec"]

_MAX_ANSWER = 1_000_000
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.S)
_INSTRUCTIONS = """You translate a trader's description of a forex strategy into a strategy spec: one JSON \
object that follows the given JSON schema. Reply with the JSON object only.
Rules: define every indicator you use in "indicators" with an id such as "rsi_14", "sma_20", "macd_12_26_9", \
"bbands_20_2"; operands are numbers, price fields (open, high, low, close, volume), an indicator id, \
"id.output" (macd: line, signal, hist; bbands: upper, middle, lower; kd and stoch: k, d) or "id[N]" for the \
value N bars ago. "buy when X" is entry_long; "sell when Y" after a buy is exit_long; short / cover are \
entry_short / exit_short. Stops use units pips, points, percent or atr. Do not invent rules the text does not \
state. Example for "buy when RSI(14) < 30, sell when RSI(14) > 70": """


class LLMError(ValueError):
    """The LLM backend is not configured, not reachable, or proposed no valid spec."""


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 60.0

    @classmethod
    def from_env(cls) -> LLMConfig:
        """The configuration from MAS_LLM_BASE_URL, MAS_LLM_MODEL and MAS_LLM_API_KEY."""
        base_url = os.environ.get("MAS_LLM_BASE_URL", "").strip()
        model = os.environ.get("MAS_LLM_MODEL", "").strip()
        if not base_url or not model:
            raise LLMError("the LLM backend needs MAS_LLM_BASE_URL (e.g. http://localhost:11434/v1 for Ollama) "
                           "and MAS_LLM_MODEL; MAS_LLM_API_KEY if the endpoint wants one")
        if not base_url.startswith(("http://", "https://")):
            raise LLMError(f"MAS_LLM_BASE_URL: expected an http(s) URL, got {base_url!r}")
        return cls(base_url.rstrip("/"), model, os.environ.get("MAS_LLM_API_KEY", "").strip())


def _request_body(text: str, model: str) -> dict[str, Any]:
    example = builtin_spec("rsi").model_dump(mode="json", exclude_none=True)
    example.pop("name", None)
    return {
        "model": model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": _INSTRUCTIONS + json.dumps(example)},
            {"role": "user", "content": text},
        ],
        "response_format": {"type": "json_schema",
                            "json_schema": {"name": "strategy_spec", "schema": spec_json_schema()}},
    }


def _post(config: LLMConfig, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    request = urllib.request.Request(f"{config.base_url}/chat/completions", data=json.dumps(body).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310 - http(s) only
            raw = response.read(_MAX_ANSWER + 1)
    except urllib.error.HTTPError as exc:
        raise LLMError(f"the LLM endpoint answered HTTP {exc.code}: {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise LLMError(f"could not reach the LLM endpoint {config.base_url}: {exc}") from None
    if len(raw) > _MAX_ANSWER:
        raise LLMError("the LLM answer is larger than 1 MB")
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        raise LLMError("the LLM endpoint did not answer with JSON") from None


def _content(answer: dict[str, Any]) -> str:
    try:
        content = answer["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMError("the LLM answer has no choices[0].message.content") from None
    if not isinstance(content, str):
        raise LLMError("the LLM answer's content is not text")
    fenced = _FENCE.match(content.strip())
    return fenced.group(1) if fenced else content.strip()


def propose_spec(text: str, config: LLMConfig | None = None, lang: str | None = None) -> ParsedText:
    """Ask the LLM for a spec of ``text``; the validated spec and its explanation."""
    from mas.strategy.explain import explain_spec

    config = config or LLMConfig.from_env()
    content = _content(_post(config, _request_body(text, config.model)))
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        raise LLMError(f"the LLM proposed something that is not JSON: {content[:200]!r}") from None
    try:
        spec = spec_from_dict(data)
    except SpecError as exc:
        raise LLMError(f"the LLM proposed an invalid spec: {exc}") from None
    language = lang or detect_language(text)
    return ParsedText(spec, language, explain_spec(spec, language))
