"""Strategy errors in the user's language (issue 20 item 7): spec files, the text parser, indicators and the LLM
reader answer ``mas --lang zh-tw`` / ``MAS_LANG`` and :func:`mas.i18n.localize` wholly in Chinese, the user's own
words as written, while ``str(error)``, the classes and the parser's structured fields (the quoted fragment, its
span, the readings to pick from) stay what they were."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.test_lang import english_left
from i18n.raise_sites import raise_sites
from mas.i18n import localize
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.indicators import RSI, BollingerBands, macd
from mas.strategy.llm import LLMConfig, LLMError, propose_spec
from mas.strategy.parse import AmbiguityError, ParseError, parse_text
from mas.strategy.spec import SpecError, spec_from_dict

BAD_PERIOD = {"indicators": [{"id": "sma_fast", "kind": "sma", "period": 0}],
              "entry_long": {"kind": "compare", "left": "close", "op": ">", "right": "sma_fast"}}


def mas(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m mas ARGS`` in a fresh process (no MAS_LANG / MAS_LLM_* from the caller's environment)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MAS_LANG", "MAS_LLM_"))}
    return subprocess.run([sys.executable, "-m", "mas", *args], capture_output=True, text=True, cwd=cwd,
                          env={**clean, **(env or {})}, timeout=300)


def refusal(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_text(text)
    return caught.value


# ----------------------------------------------------------------------------- the command, in real processes


def test_a_spec_file_with_a_bad_indicator_period_is_refused_in_chinese(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps(BAD_PERIOD))
    english = "invalid strategy spec: indicators[0].period: Input should be greater than or equal to 1"
    done = mas("strategy", "explain", "bad.json", cwd=tmp_path)
    assert done.returncode == 2 and english in done.stdout + done.stderr
    tw = mas("--lang", "zh-tw", "strategy", "explain", "bad.json", cwd=tmp_path)
    assert tw.returncode == 2 and "Traceback" not in tw.stderr
    assert "策略規格無效：indicators[0].period：輸入值應大於或等於 1" in tw.stdout + tw.stderr
    cn = mas("backtest", "bad.json", cwd=tmp_path, env={"MAS_LANG": "zh-cn"})
    assert cn.returncode == 2 and "策略规格无效：indicators[0].period：输入值应大于或等于 1" in cn.stdout + cn.stderr
    assert "invalid strategy spec" not in tw.stdout + tw.stderr + cn.stdout + cn.stderr


def test_a_text_strategy_the_parser_cannot_read_is_refused_in_chinese_quoting_the_users_words(tmp_path):
    tw = mas("--lang", "zh-tw", "backtest", "--text", "buy when SMA(abc) crosses above", cwd=tmp_path)
    assert tw.returncode == 2 and '無法理解 "abc"' in tw.stdout + tw.stderr
    cn = mas("backtest", "--text", "RSI低於30時買進，貓叫時賣出", cwd=tmp_path, env={"MAS_LANG": "zh-cn"})
    assert cn.returncode == 2 and '无法理解 "貓叫"' in cn.stdout + cn.stderr  # the user's Traditional words as typed
    en = mas("backtest", "--text", "buy when SMA(abc) crosses above", cwd=tmp_path)
    assert 'could not read "abc"' in en.stdout + en.stderr


def test_a_misconfigured_llm_reader_is_explained_in_chinese(tmp_path):
    missing = mas("--lang", "zh-tw", "strategy", "parse", "buy when RSI < 30", "--llm", cwd=tmp_path)
    assert missing.returncode == 2
    assert "LLM 後端需要設定 MAS_LLM_BASE_URL" in missing.stdout + missing.stderr
    timeout = mas("strategy", "parse", "buy when RSI < 30", "--llm", cwd=tmp_path,
                  env={"MAS_LANG": "zh-cn", "MAS_LLM_BASE_URL": "http://127.0.0.1:9/v1", "MAS_LLM_MODEL": "m",
                       "MAS_LLM_TIMEOUT": "一分鐘"})
    assert timeout.returncode == 2
    assert "MAS_LLM_TIMEOUT：应为秒数，例如 60，收到 '一分鐘'" in timeout.stdout + timeout.stderr


# ----------------------------------------------------------------------------- the text parser

# (text, the user's words the message quotes, zh-tw, zh-cn)
REFUSED = [
    ("buy when SMA(abc) crosses above", "abc", '無法理解 "abc"', '无法理解 "abc"'),
    ("buy when RSI(14) < 30 and the moon is full", "moon", '無法理解 "moon"（同樣無法理解："full"）',
     '无法理解 "moon"（同样无法理解："full"）'),
    ("RSI低於30時買進，貓叫時賣出", "貓叫", '無法理解 "貓叫"', '无法理解 "貓叫"'),
    ("buy when RSI(0) < 30", "RSI", '"RSI"：週期必須是至少為 1 的整數，收到 0',
     '"RSI"：周期必须是至少为 1 的整数，收到 0'),
    ("buy when SMA crosses above SMA(20)", "SMA", '"SMA"：週期是多少？', '"SMA"：周期是多少？'),
    ("buy when MACD crosses above", "crosses above", '"crosses above"：穿越什麼？', '"crosses above"：穿越什么？'),
    ("buy when RSI < 30, exit after 5 hours", "5", "請以K棒數表示", "请以K线数表示"),
    ("買進", "買進", '"買進"：什麼時候？後面沒有條件', '"買進"：什么时候？后面没有条件'),
    ("RSI < 30", "RSI < 30", "有條件但沒有動作", "有条件但没有动作"),
    ("buy on a head and shoulders pattern", "head and shoulders", '"head and shoulders"：不支援頭肩型態',
     '"head and shoulders"：不支持头肩形态'),
    ("buy when Stochastic RSI < 20", "Stochastic RSI", '"Stochastic RSI"：不支援這個指標',
     '"Stochastic RSI"：不支持这个指标（可用的指标：SMA、EMA、WMA、RSI、MACD、布林带'),
    ("buy when the close is above 1.2, and vice versa", "and vice versa",
     '"and vice versa"：1.2：價格或均線的水準沒有對應的空單鏡像',
     '"and vice versa"：1.2：价格或均线的水平没有对应的空单镜像'),
    ("buy when RSI(14) < 30, stop loss 0 pips", "stop loss 0 pips",
     "文字描述的策略無效：risk.stop_loss.value：輸入值應大於 0",
     "文字描述的策略无效：risk.stop_loss.value：输入值应大于 0"),
    ("buy when SMA(5) crosses above SMA(5)", "SMA(5) crosses above SMA(5)", "條件拿 sma_5 與自己比較",
     "条件拿 sma_5 与自己比较"),
    ("EURUSD GBPUSD: buy when RSI < 30", "GBPUSD", "出現兩個不同的商品：EURUSD 與 GBPUSD",
     "出现两个不同的品种：EURUSD 与 GBPUSD"),
    ("", "", "文字是空的：請描述何時買進或賣出", "文字是空的：请描述何时买入或卖出"),
]


@pytest.mark.parametrize(("text", "words", "tw", "cn"), REFUSED, ids=[r[0] or "empty" for r in REFUSED])
def test_each_refusal_is_chinese_with_the_users_words_as_written(text, words, tw, cn):
    error = refusal(text)
    assert words in error.fragment and words in str(error)
    for lang, expected in (("zh-tw", tw), ("zh-cn", cn)):
        shown = localize(error, lang)
        assert expected in shown, (lang, shown)
        assert words in shown
        assert english_left(shown, [text, words, error.fragment]) == [], shown


def test_str_classes_and_structured_fields_stay_as_they_were():
    error = refusal("buy when RSI(14) < 30 and the moon is full")
    assert type(error) is ParseError and isinstance(error, ValueError)
    assert str(error) == 'could not read "moon" (also not understood: "full")'
    assert (error.fragment, error.start, error.end) == ("moon", 30, 34)
    back = pickle.loads(pickle.dumps(error))
    assert (str(back), back.fragment, back.start, back.end) == (str(error), "moon", 30, 34)
    assert localize(back, "zh-tw") == localize(error, "zh-tw") == '無法理解 "moon"（同樣無法理解："full"）'


def test_an_ambiguous_text_keeps_its_readings_and_translates_them():
    with pytest.raises(AmbiguityError) as caught:
        parse_text("sell when RSI > 70")
    error = caught.value
    assert error.readings == ["open a short position when RSI(14) is above 70 (say 'short when ...')",
                              "close a long position when RSI(14) is above 70 (add a 'buy when ...' rule)"]
    assert str(error) == ('"sell" with no buy rule; it could mean: (1) ' + error.readings[0] + "; (2) " +
                          error.readings[1])
    assert localize(error, "zh-tw") == ('"sell" 但沒有買進規則；可能的意思：(1) 當 RSI(14)高於70 時開空單'
                                        "（請寫 'short when ...'）；(2) 當 RSI(14)高於70 時平多單"
                                        "（請加上 'buy when ...' 規則）")
    mixed = refusal("buy when RSI < 30 and MACD > 0 or close > SMA(50)")
    assert isinstance(mixed, AmbiguityError) and len(mixed.readings) == 2
    shown = localize(mixed, "zh-cn")
    assert shown.startswith("同一个条件中混用了") and "RSI(14)低于30且MACD(12, 26, 9)快线高于0" in shown
    assert '（位置："RSI < 30 and MACD > 0 or close > SMA(50)"）' in shown
    assert localize(pickle.loads(pickle.dumps(mixed)), "zh-cn") == shown
    stop = refusal("buy when RSI < 30, stop loss 30")
    assert stop.readings == ["30 pips", "30 points", "30% of the price"]
    assert localize(stop, "zh-tw").endswith("可能的意思：(1) 30 pips；(2) 30 points；(3) 價格的 30%")


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="qzjv", min_size=2, max_size=8) | st.text(alphabet="貓狗魚鴨", min_size=1, max_size=6))
def test_any_unknown_word_is_quoted_as_typed_in_every_language(word):
    error = refusal(f"buy when RSI < 30 and {word}")
    assert error.fragment == word
    for lang, head in (("en", "could not read"), ("zh-tw", "無法理解"), ("zh-cn", "无法理解")):
        assert localize(error, lang) == f'{head} "{word}"'


# ----------------------------------------------------------------------------- spec files and indicators


@pytest.mark.parametrize(("data", "english", "tw"), [
    (BAD_PERIOD, "indicators[0].period: Input should be greater than or equal to 1",
     "indicators[0].period：輸入值應大於或等於 1"),
    ({"indicators": [{"id": "m", "kind": "macd", "fast": 30, "slow": 20}], "entry_long": {
        "kind": "compare", "left": "m", "op": ">", "right": 0}},
     "indicators[0]: fast (30) must be smaller than slow (20)", "indicators[0]：fast（30）必須小於 slow（20）"),
    ({"indicators": [{"id": "s", "kind": "smx", "period": 3}]},
     "indicators[0]: Input tag 'smx' found using 'kind' does not match any of the expected tags",
     "indicators[0]：'kind' 的值 'smx' 不是可用的值"),
    ({"entry_long": {"kind": "compare", "left": "close", "op": ">", "right": "rsi_14"}},
     "entry_long.right: 'rsi_14' names no indicator (indicators: none defined)",
     "entry_long.right：'rsi_14' 不是任何指標（指標：尚未定義任何指標）"),
    ({"entry_long": {"kind": "compare", "left": "close", "op": ">", "right": 1}, "risk": {"risk_percent": 1}},
     "risk.risk_percent: sizing by % of equity at risk needs a stop_loss",
     "risk.risk_percent：以淨值風險百分比計算部位大小需要設定 stop_loss（停損）"),
    ({"entry_long": {"kind": "compare", "left": "close", "op": ">", "right": 1}, "colour": "red"},
     "colour: Extra inputs are not permitted", "colour：不允許多餘的欄位"),
])
def test_spec_errors_keep_their_english_and_translate_each_field(data, english, tw):
    with pytest.raises(SpecError) as caught:
        spec_from_dict(data)
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).startswith("invalid strategy spec: ") and english in str(caught.value)
    shown = localize(caught.value, "zh-tw")
    assert shown.startswith("策略規格無效：") and tw in shown


@settings(max_examples=50, deadline=None)
@given(st.one_of(st.integers(-10**6, 0), st.integers(10_001, 10**7), st.floats(1.5, 9.5).filter(lambda f: f % 1),
                 st.text(alphabet="abc!", min_size=1, max_size=4)))
def test_pydantics_own_english_is_kept_word_for_word(period):
    from pydantic import ValidationError

    from mas.strategy.spec import StrategySpec

    data = {"indicators": [{"id": "sma_x", "kind": "sma", "period": period}],
            "entry_long": {"kind": "compare", "left": "close", "op": ">", "right": "sma_x"}}
    with pytest.raises(ValidationError) as raw:
        StrategySpec.model_validate(data)
    with pytest.raises(SpecError) as caught:
        spec_from_dict(data)
    assert raw.value.errors()[0]["msg"] in str(caught.value)
    assert english_left(localize(caught.value, "zh-cn"), ["indicators[0].period"]) == []


def test_an_indicator_with_a_bad_parameter_says_so_in_chinese():
    with pytest.raises(ValueError) as period:
        RSI(0)
    assert str(period.value) == "period: must be a whole number >= 1, got 0"
    assert localize(period.value, "zh-tw") == "period：必須是大於或等於 1 的整數，收到 0"
    with pytest.raises(ValueError) as slow:
        macd([1.0] * 40, 30, 20)
    assert localize(slow.value, "zh-cn") == "fast：必须小于 slow（20），收到 30"
    with pytest.raises(ValueError) as nbdev:
        BollingerBands(20, -1)
    assert localize(nbdev.value, "zh-tw") == "nbdev：必須是 [0, inf] 範圍內的有限數字，收到 -1"
    with pytest.raises(ValueError) as unknown:
        builtin_spec("rsx")
    assert localize(unknown.value, "zh-tw") == "name：'rsx' 不是內建策略（ma, rsi, macd, kd, bband）"


# ----------------------------------------------------------------------------- the LLM reader against a real server


class _Endpoint(BaseHTTPRequestHandler):
    """Answers every chat completion with the server's ``reply`` (status, body)."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests += 1  # type: ignore[attr-defined]
        status, body = self.server.reply  # type: ignore[attr-defined]
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    server.requests = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def _ask(server: ThreadingHTTPServer, status: int, body: object, repairs: int = 0) -> LLMError:
    server.reply = (status, body)  # type: ignore[attr-defined]
    config = LLMConfig(f"http://127.0.0.1:{server.server_address[1]}/v1", "model", api_key="sk-secret-key",
                       timeout=30, max_repairs=repairs)
    with pytest.raises(LLMError) as caught:
        propose_spec("buy when RSI(14) < 30", config)
    return caught.value


def test_llm_endpoint_errors_are_translated_and_keep_the_servers_own_words(endpoint):
    refused = _ask(endpoint, 401, {"error": {"message": "invalid api key"}})
    assert str(refused) == "the LLM endpoint answered HTTP 401: invalid api key (check MAS_LLM_API_KEY)"
    assert localize(refused, "zh-tw") == "LLM 端點回應 HTTP 401：invalid api key（請檢查 MAS_LLM_API_KEY）"
    formats = _ask(endpoint, 400, {"error": {"message": "response_format not supported"}})
    assert "after trying response_format json_schema, json_object, plain" in str(formats)
    assert localize(formats, "zh-cn") == ("LLM 端点返回 HTTP 400（已尝试 response_format json_schema, json_object, "
                                          "plain）：response_format not supported")
    assert "sk-secret-key" not in localize(refused, "zh-tw") + localize(formats, "zh-cn")


def test_an_llm_that_proposes_no_valid_spec_is_reported_whole_in_chinese(endpoint):
    content = json.dumps(BAD_PERIOD)
    error = _ask(endpoint, 200, {"choices": [{"message": {"content": content}}]}, repairs=1)
    assert endpoint.requests == 2
    assert str(error) == ("the LLM proposed no valid spec in 2 answers (1 repair rounds); the last problem: "
                          "invalid strategy spec: indicators[0].period: Input should be greater than or equal to 1")
    assert localize(error, "zh-tw") == ("LLM 在 2 次回答中（1 個修正回合）都沒有提出有效的策略規格；最後的問題："
                                        "策略規格無效：indicators[0].period：輸入值應大於或等於 1")
    not_json = _ask(endpoint, 200, {"choices": [{"message": {"content": "I think you should buy."}}]})
    assert localize(not_json, "zh-cn").endswith("最后的问题：回答不是 JSON（第 1 行第 1 栏：Expecting value）")


def test_llm_config_errors_are_translated(monkeypatch):
    monkeypatch.setenv("MAS_LLM_BASE_URL", "ftp://example.invalid")
    monkeypatch.setenv("MAS_LLM_MODEL", "m")
    with pytest.raises(LLMError) as scheme:
        LLMConfig.from_env()
    assert localize(scheme.value, "zh-tw") == "MAS_LLM_BASE_URL：應為 http(s) 網址，收到 'ftp://example.invalid'"
    with pytest.raises(LLMError) as credentials:
        LLMConfig("http://me:pw@127.0.0.1:1/v1", "m")
    shown = localize(credentials.value, "zh-cn")
    assert shown == "base_url：'http://127.0.0.1:1/v1' 含有账号密码（user:password@）；请改把密钥放在 MAS_LLM_API_KEY"
    assert "pw" not in shown


# ----------------------------------------------------------------------------- the measure


def test_no_english_only_raise_is_left_in_the_strategy_package():
    _, english = raise_sites()
    assert [site for site in english if site[0].startswith("mas/strategy/")] == []
