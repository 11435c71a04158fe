"""Optional LLM backend: any OpenAI-compatible chat-completions endpoint proposes a spec.

Configured by ``MAS_LLM_BASE_URL`` (e.g. ``http://localhost:11434/v1`` for Ollama), ``MAS_LLM_MODEL``,
``MAS_LLM_API_KEY`` (optional for local servers) and ``MAS_LLM_TIMEOUT`` (seconds, default 60).

The request asks for JSON constrained by the spec's JSON schema (``response_format`` ``json_schema``).
A server that refuses that format (HTTP 400 or 422, as llama.cpp, older vLLM or Ollama builds and some
hosted models do) is asked again in ``json_object`` mode and then with no ``response_format`` at all,
with the schema in the instructions: at most three requests for the format. The answer is read as JSON
data only (a Markdown fence or a sentence around the object is tolerated) and validated like any other
spec; an invalid answer is sent back with the validator's exact errors for at most ``max_repairs``
rounds. The valid spec is explained back and, when the offline parser also reads the text, compared
with that reading field by field. Generated text or code is never executed. The API key is sent only
in the ``Authorization`` header and never appears in errors, logs or ``repr``. Standard library only.
"""

from __future__ import annotations

import json
import logging
import os
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from mas.i18n.errors import Text, text_of
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.parse import ParsedText
from mas.strategy.parse.lexer import detect_language
from mas.strategy.spec import SpecError, StrategySpec, spec_from_dict, spec_json_schema

__all__ = ["LLMConfig", "LLMError", "LLMProposal", "MODES", "propose_spec", "spec_differences", "unstated_numbers"]

log = logging.getLogger(__name__)

MODES = ("json_schema", "json_object", "plain")
"""The ways of asking for JSON, tried in this order while the server refuses the ``response_format``."""
_MAX_ANSWER = 1_000_000
MAX_TEXT = 20_000
"""The longest description sent to the model (the offline parser takes 4000 characters)."""
_ECHO = 4000  # at most this much of an invalid answer is sent back in a repair round
_FENCE = re.compile(r"```(?:json|JSON)?[ \t]*\n?(.*?)```", re.S)
_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object|schema|grammar", re.I)
_INSTRUCTIONS = """You translate a trader's description of a forex strategy into a strategy spec: one JSON \
object that follows the given JSON schema. Reply with the JSON object only.
Rules: define every indicator you use in "indicators" with an id such as "rsi_14", "sma_20", "macd_12_26_9", \
"bbands_20_2"; operands are numbers, price fields (open, high, low, close, volume), an indicator id, \
"id.output" (macd: line, signal, hist; bbands: upper, middle, lower; kd and stoch: k, d) or "id[N]" for the \
value N bars ago, or arithmetic on those: {"terms": [{"operand": "sma_20"}, {"operand": "atr_14", "times": 2}], \
"plus": 0} is SMA(20) + 2 x ATR(14). "A then B within N bars" is {"kind": "sequence", "first": A, "then": B, \
"within": N}. "The opposite for shorts" means writing the mirrored short rules. \
"buy when X" is entry_long; "sell when Y" after a buy is exit_long; short / cover are \
entry_short / exit_short. Stops use units pips, points, percent or atr. Do not invent rules the text does not \
state. Example for "buy when RSI(14) < 30, sell when RSI(14) > 70": """
_REPAIR = ("That answer is not a valid strategy spec: {errors}\nReply with the corrected JSON object only, "
           "following the JSON schema; change only what the errors name.")


class LLMError(ValueError):
    """The LLM backend is not configured, not reachable, or proposed no valid spec."""


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to ask the LLM backend: endpoint, model, key (never shown), timeout and repair rounds."""
    base_url: str
    model: str
    api_key: str = field(default="", repr=False)
    timeout: float = 60.0
    max_repairs: int = 2

    def __post_init__(self) -> None:
        if not (0 <= self.max_repairs <= 10):
            raise LLMError(Text("llm_max_repairs", value=self.max_repairs))
        if not self.timeout > 0:
            raise LLMError(Text("llm_timeout_value", value=self.timeout))
        if "@" in urllib.parse.urlsplit(self.base_url).netloc:
            raise LLMError(Text("llm_url_credentials", url=_public_url(self.base_url)))

    @classmethod
    def from_env(cls) -> LLMConfig:
        """The configuration from MAS_LLM_BASE_URL, MAS_LLM_MODEL, MAS_LLM_API_KEY and MAS_LLM_TIMEOUT."""
        base_url = os.environ.get("MAS_LLM_BASE_URL", "").strip()
        model = os.environ.get("MAS_LLM_MODEL", "").strip()
        if not base_url or not model:
            raise LLMError(Text("llm_not_configured"))
        if not base_url.startswith(("http://", "https://")):
            raise LLMError(Text("llm_url_not_http", url=_public_url(base_url)))
        timeout_text = os.environ.get("MAS_LLM_TIMEOUT", "").strip() or "60"
        try:
            timeout = float(timeout_text)
        except ValueError:
            raise LLMError(Text("llm_timeout_env", value=timeout_text)) from None
        return cls(base_url.rstrip("/"), model, os.environ.get("MAS_LLM_API_KEY", "").strip(), timeout)


@dataclass(frozen=True)
class LLMProposal(ParsedText):
    """A validated spec the LLM proposed, its explanation, and how it differs from the parser's reading.

    ``deterministic`` is the offline parser's spec of the same text (None when it refuses the text);
    ``differences`` lists, in plain words, every field where the two disagree (empty when they agree
    or when there is no deterministic reading). ``mode`` is the ``response_format`` the server
    accepted and ``answers`` how many answers it took (1 + repair rounds). ``unstated`` lists the
    numbers of the spec (other than defaults) that the text does not contain: the model chose them.
    """

    deterministic: StrategySpec | None = None
    differences: tuple[str, ...] = ()
    mode: str = "json_schema"
    answers: int = 1
    unstated: tuple[str, ...] = ()


# --------------------------------------------------------------------------- the conversation

def _system_message(mode: str) -> str:
    example = builtin_spec("rsi").model_dump(mode="json", exclude_none=True)
    example.pop("name", None)
    text = _INSTRUCTIONS + json.dumps(example)
    if mode != "json_schema":  # the server does not see the schema: put it in the instructions
        text += "\nThe JSON schema:\n" + json.dumps(spec_json_schema(), separators=(",", ":"))
    return text


def _request_body(messages: list[dict[str, str]], model: str, mode: str) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "temperature": 0, "messages": messages}
    if mode == "json_schema":
        body["response_format"] = {"type": "json_schema",
                                   "json_schema": {"name": "strategy_spec", "schema": spec_json_schema()}}
    elif mode == "json_object":
        body["response_format"] = {"type": "json_object"}
    return body


class _Refused(Exception):
    """The server answered an HTTP error; ``format_refused`` when it looks like a refused response_format."""

    def __init__(self, status: int, detail: str, format_refused: bool) -> None:
        super().__init__(status, detail)
        self.status, self.detail, self.format_refused = status, detail, format_refused


def _public_url(url: str) -> str:
    """``url`` without user:password@ (a URL may carry credentials)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def _redact(text: str, config: LLMConfig) -> str:
    """``text`` without the API key or the base URL's credentials, cut to 300 characters."""
    secrets = [config.api_key] if len(config.api_key) >= 4 else []
    parts = urllib.parse.urlsplit(config.base_url)
    secrets += [s for s in (parts.password, parts.username) if s]
    for secret in secrets:
        text = text.replace(secret, "***")
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:300] + "..."


def _error_detail(raw: bytes) -> str:
    """The message inside an OpenAI-style error body ({"error": {"message": ...}}), else the body."""
    text = raw.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return text
    error = data.get("error", data) if isinstance(data, dict) else data
    message = error.get("message") if isinstance(error, dict) else error
    return message if isinstance(message, str) else json.dumps(message)


def _post(config: LLMConfig, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    where = _public_url(config.base_url)
    request = urllib.request.Request(f"{config.base_url}/chat/completions", data=json.dumps(body).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310 - http(s) only
            raw = response.read(_MAX_ANSWER + 1)
    except urllib.error.HTTPError as exc:
        try:
            raw_error = exc.read(20_000)
        except OSError:
            raw_error = b""
        detail = _redact(_error_detail(raw_error), config) or str(exc.reason)
        refused = exc.code in (400, 415, 422) or (exc.code >= 500 and bool(_FORMAT_WORDS.search(detail)))
        raise _Refused(exc.code, detail, refused) from None
    except TimeoutError:
        raise LLMError(Text("llm_timed_out", where=where, seconds=f"{config.timeout:g}")) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise LLMError(Text("llm_timed_out", where=where, seconds=f"{config.timeout:g}")) from None
        raise LLMError(Text("llm_unreachable", where=where, reason=_redact(str(exc.reason), config))) from None
    except OSError as exc:
        raise LLMError(Text("llm_unreachable_os", where=where, reason=_redact(str(exc), config))) from None
    if len(raw) > _MAX_ANSWER:
        raise LLMError(Text("llm_answer_too_large", megabytes=_MAX_ANSWER // 1_000_000))
    try:
        answer = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        start = _redact(raw[:200].decode("utf-8", "replace"), config)
        raise LLMError(Text("llm_not_json", where=where, start=start)) from None
    if not isinstance(answer, dict):
        raise LLMError(Text("llm_not_completion", where=where))
    return answer


def _content(answer: dict[str, Any]) -> str:
    try:
        content = answer["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMError(Text("llm_no_content")) from None
    if not isinstance(content, str):
        raise LLMError(Text("llm_content_not_text"))
    return content


def _read_json(content: str) -> dict[str, Any]:
    """The JSON object in an answer (bare, fenced, or inside a sentence); ValueError saying what is wrong."""
    text = content.strip()
    if not text:
        raise ValueError(Text("llm_answer_empty"))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Text("llm_answer_not_json", reason=exc.msg, line=exc.lineno, column=exc.colno)
        for candidate in [m.group(1).strip() for m in _FENCE.finditer(text)] + [text]:
            start = candidate.find("{")
            if start < 0:
                continue
            try:
                data, _ = json.JSONDecoder().raw_decode(candidate, start)
                break
            except json.JSONDecodeError as inner:
                problem = Text("llm_answer_invalid_json", reason=inner.msg, line=inner.lineno, column=inner.colno)
        else:
            raise ValueError(problem) from None
    if not isinstance(data, dict):
        raise ValueError(Text("llm_answer_not_object", kind=type(data).__name__))
    return data


def _ask(config: LLMConfig, messages: list[dict[str, str]], modes: list[str]) -> str:
    """One answer's content; drops the first of ``modes`` while the server refuses its response_format."""
    while True:
        try:
            return _content(_post(config, _request_body(messages, config.model, modes[0])))
        except _Refused as exc:
            if exc.format_refused and len(modes) > 1:
                log.info("the LLM endpoint refused response_format %s (HTTP %d: %s); trying %s",
                         modes[0], exc.status, exc.detail, modes[1])
                modes.pop(0)
                messages[0]["content"] = _system_message(modes[0])
                continue
            hint = {401: "llm_hint_key", 403: "llm_hint_key", 404: "llm_hint_url"}.get(exc.status)
            tried = Text("llm_tried_formats", modes=", ".join(MODES[:MODES.index(modes[0]) + 1])) \
                if exc.format_refused else ""
            raise LLMError(Text("llm_http_error", status=exc.status, tried=tried, detail=exc.detail,
                                hint=Text(hint) if hint else "")) from None


def propose_spec(text: str, config: LLMConfig | None = None, lang: str | None = None) -> LLMProposal:
    """Ask the LLM for a spec of ``text``: the validated spec, its explanation and the parser comparison.

    LLMError when the endpoint is not configured or not reachable, or when no valid spec came after
    ``config.max_repairs`` repair rounds (the error quotes the validator's last complaint).
    """
    from mas.strategy.explain import explain_spec

    if not isinstance(text, str) or not text.strip():
        raise LLMError(Text("parse_text_empty"))
    if len(text) > MAX_TEXT:
        raise LLMError(Text("llm_text_too_long", length=len(text), limit=MAX_TEXT))
    config = config or LLMConfig.from_env()
    modes = list(MODES)
    messages = [{"role": "system", "content": _system_message(modes[0])}, {"role": "user", "content": text}]
    spec: StrategySpec | None = None
    problem: str = ""
    answers = 0
    for answers in range(1, config.max_repairs + 2):  # noqa: B007 - ``answers`` is reported below
        content = _ask(config, messages, modes)
        try:
            spec = spec_from_dict(_read_json(content))
            break
        except (ValueError, SpecError) as exc:  # SpecError is a ValueError; named for the reader
            problem = text_of(exc)
            log.info("LLM answer %d is not a valid spec: %s", answers, problem)
            messages += [{"role": "assistant", "content": content[:_ECHO]},
                         {"role": "user", "content": _REPAIR.format(errors=problem)}]
    if spec is None:
        raise LLMError(Text("llm_no_valid_spec", answers=answers, rounds=config.max_repairs, problem=problem))
    language = lang or detect_language(text)
    explanation = explain_spec(spec, language)
    unstated = tuple(unstated_numbers(spec, text))
    if unstated:
        explanation += "\n" + _words(language)["unstated"] + (" " if language == "en" else "") + "; ".join(unstated)
    deterministic = _deterministic(text)
    differences: tuple[str, ...] = ()
    if deterministic is not None:
        differences = tuple(spec_differences(deterministic, spec, language))
        explanation += "\n" + _comparison(differences, language)
    return LLMProposal(spec, language, explanation, (), deterministic, differences, modes[0], answers, unstated)


def _deterministic(text: str) -> StrategySpec | None:
    from mas.strategy.parse import ParseError, parse_text

    try:
        return parse_text(text).spec
    except (ParseError, ValueError):
        return None


# --------------------------------------------------------------------------- the comparison

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def unstated_numbers(spec: StrategySpec, text: str) -> list[str]:
    """``path = value`` of every number in ``spec`` (defaults left out) that ``text`` does not contain.

    A model may fill in a period, a level or a stop the trader never wrote; these are listed back
    so that they can be checked. Full-width digits count; numbers written in words do not.
    """
    stated = {float(n) for n in _NUMBER.findall(unicodedata.normalize("NFKC", text))}
    data = spec.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    out: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return
        if isinstance(value, (int, float)):
            if float(value) not in stated and abs(float(value)) * 100 not in stated:  # 0.02 may be "2%"
                out.append(f"{path} = {value:g}")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                ident = item.get("id") if isinstance(item, dict) else None
                walk(item, f"{path}[{ident or i}]")

    data.pop("version", None)
    walk(data, "")
    return out


_WORDS = {
    "en": {"unstated": "Numbers the text does not state (the LLM chose them; check them):",
           "same": "The offline parser reads this text the same way.",
           "differs": "The offline parser reads this text differently:",
           "parser": "the parser", "llm": "the LLM", "none": "nothing", "says": "{field}: {a} says {x}, {b} says {y}",
           "only": "indicator {what} is defined only by {who}",
           "fields": {"symbol": "symbol", "timeframe": "timeframe", "entry_long": "long entry",
                      "exit_long": "long exit", "entry_short": "short entry", "exit_short": "short exit",
                      "lots": "lots", "risk_percent": "risk % of equity", "stop_loss": "stop loss",
                      "take_profit": "take profit", "trailing_stop": "trailing stop",
                      "exit_after_bars": "exit after bars", "max_open_positions": "max open positions",
                      "sessions": "sessions", "weekdays": "weekdays"}},
    "zh-tw": {"unstated": "文字中沒有的數字（由 LLM 選定，請確認）：",
              "same": "離線解析器對這段文字的解讀相同。", "differs": "離線解析器的解讀不同：",
              "parser": "解析器", "llm": "LLM", "none": "無", "says": "{field}：{a}為 {x}，{b}為 {y}",
              "only": "指標 {what} 只有{who}定義",
              "fields": {"symbol": "商品", "timeframe": "週期", "entry_long": "做多進場", "exit_long": "多單出場",
                         "entry_short": "做空進場", "exit_short": "空單出場", "lots": "手數",
                         "risk_percent": "風險（淨值%）", "stop_loss": "停損", "take_profit": "停利",
                         "trailing_stop": "移動停損", "exit_after_bars": "持有K棒數後出場",
                         "max_open_positions": "最多同時部位", "sessions": "交易時段", "weekdays": "星期"}},
    "zh-cn": {"unstated": "文字中没有的数字（由 LLM 选定，请确认）：",
              "same": "离线解析器对这段文字的解读相同。", "differs": "离线解析器的解读不同：",
              "parser": "解析器", "llm": "LLM", "none": "无", "says": "{field}：{a}为 {x}，{b}为 {y}",
              "only": "指标 {what} 只有{who}定义",
              "fields": {"symbol": "商品", "timeframe": "周期", "entry_long": "做多进场", "exit_long": "多单出场",
                         "entry_short": "做空进场", "exit_short": "空单出场", "lots": "手数",
                         "risk_percent": "风险（净值%）", "stop_loss": "止损", "take_profit": "止盈",
                         "trailing_stop": "移动止损", "exit_after_bars": "持有K线数后出场",
                         "max_open_positions": "最多同时仓位", "sessions": "交易时段", "weekdays": "星期"}},
}
_RISK_FIELDS = ("lots", "risk_percent", "stop_loss", "take_profit", "trailing_stop", "exit_after_bars",
                "max_open_positions")


def _words(lang: str) -> dict[str, Any]:
    return _WORDS.get(lang, _WORDS["en"])


def _value(value: Any, none: str) -> str:
    if value is None or value == []:
        return none
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict) and "unit" in value:  # a Distance
        extra = f" (ATR {value['atr_period']})" if value.get("unit") == "atr" and value.get("atr_period") else ""
        return f"{value['value']:g} {value['unit']}{extra}"
    if isinstance(value, list):
        return ", ".join(_value(v, none) for v in value)
    if isinstance(value, dict):  # a Session
        return value.get("name") or f"{value.get('start')}-{value.get('end')}"
    return str(value)


def _indicator_text(settings: dict[str, Any]) -> str:
    params = ", ".join(f"{k}={_value(v, '-')}" for k, v in settings.items()
                       if k not in ("id", "kind") and v is not None)
    return f"{settings['kind']}({params})"


def spec_differences(parsed: StrategySpec, proposed: StrategySpec, lang: str = "en") -> list[str]:
    """Every field where the parser's spec and the LLM's spec disagree, one plain sentence each.

    Rules are compared by their plain-language description (so indicator ids do not matter),
    indicators by kind and parameters, risk and filters field by field; the name is ignored.
    """
    from mas.strategy.explain import describe_condition

    words = _words(lang)
    names, none = words["fields"], words["none"]

    def line(name: str, x: str, y: str) -> str:
        return words["says"].format(field=names[name], a=words["parser"], x=x, b=words["llm"], y=y)

    out = []
    for name in ("symbol", "timeframe"):
        x, y = getattr(parsed, name), getattr(proposed, name)
        if x != y:
            out.append(line(name, _value(x, none), _value(y, none)))
    for name in ("entry_long", "exit_long", "entry_short", "exit_short"):
        x, y = (getattr(s, name) for s in (parsed, proposed))
        tx = describe_condition(x, parsed.indicators, lang) if x is not None else none
        ty = describe_condition(y, proposed.indicators, lang) if y is not None else none
        if tx != ty:
            out.append(line(name, tx, ty))
    mine = {_indicator_text(i.model_dump(mode="json")) for i in parsed.indicators}
    theirs = {_indicator_text(i.model_dump(mode="json")) for i in proposed.indicators}
    out += [words["only"].format(what=t, who=words["parser"]) for t in sorted(mine - theirs)]
    out += [words["only"].format(what=t, who=words["llm"]) for t in sorted(theirs - mine)]
    a, b = parsed.risk.model_dump(mode="json"), proposed.risk.model_dump(mode="json")
    out += [line(n, _value(a[n], none), _value(b[n], none)) for n in _RISK_FIELDS if a[n] != b[n]]
    a, b = parsed.filters.model_dump(mode="json"), proposed.filters.model_dump(mode="json")
    out += [line(n, _value(a[n], none), _value(b[n], none)) for n in ("sessions", "weekdays") if a[n] != b[n]]
    return out


def _comparison(differences: tuple[str, ...], lang: str) -> str:
    words = _words(lang)
    if not differences:
        return words["same"]
    return "\n".join([words["differs"], *(f"- {d}" for d in differences)])
