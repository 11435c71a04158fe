"""Translatable errors: English by str(), the user's language by localize(), through wrapping, pickling and
the facade's set_lang."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mas import params as p
from mas.choices import check_choice, suggest
from mas.i18n import InputError, NotFoundError, Text, current_lang, localize, message, use_lang
from mas.i18n.errors import os_reason, text_of


def test_str_stays_english_and_localize_translates():
    error = InputError("value_not_date", field="from", value="yesterday")
    assert isinstance(error, ValueError)
    assert str(error) == "from: 'yesterday' is not a date; use a datetime or a string 'YYYY-MM-DD' or " \
                         "'YYYY-MM-DD HH:MM:SS'"
    assert localize(error, "zh-tw") == "from：'yesterday' 不是日期；請使用 datetime 或字串 'YYYY-MM-DD' 或 " \
                                       "'YYYY-MM-DD HH:MM:SS'"
    assert localize(error, "zh-cn").startswith("from：'yesterday' 不是日期；请使用")
    assert localize(error, "en") == str(error)
    assert isinstance(NotFoundError("suggest_none"), LookupError)


def test_a_suggestion_inside_an_error_is_rendered_in_the_errors_language():
    with pytest.raises(ValueError) as info:
        check_choice("--margin-mode", "foo", ["hedging", "netting"])
    assert str(info.value) == "--margin-mode: 'foo' is not valid; valid: hedging, netting"
    assert localize(info.value, "zh-tw") == "--margin-mode：'foo' 無效；可用的值：hedging, netting"
    assert localize(suggest("fsat", ["fast", "slow"]), "zh-cn") == "您是指 'fast' 吗？可用的值：fast, slow"
    assert suggest("fsat", ["fast", "slow"]) == "did you mean 'fast'? valid: fast, slow"  # still a str


def test_any_exception_given_a_text_is_translatable_and_survives_wrapping_and_pickling():
    error = LookupError(Text("missing_nothing", symbol="GBPJPY", folder="/data"))
    assert str(error) == "Nothing is stored for GBPJPY (data folder: /data)."
    assert localize(error, "zh-tw") == "GBPJPY 沒有任何已儲存的資料（資料夾：/data）。"
    wrapped = InputError("mt5_login_failed", profile="demo", reason=text_of(error))
    assert localize(wrapped, "zh-cn") == ("--source mt5：无法以配置 demo 登录："
                                          "GBPJPY 没有任何已存储的数据（文件夹：/data）。")
    for item in (error, wrapped, Text.lines([Text("suggest_none"), "as typed"], Text("sep_or"))):
        back = pickle.loads(pickle.dumps(item))
        assert str(back) == str(item) and localize(back, "zh-tw") == localize(item, "zh-tw")
    assert localize(ValueError("plain English"), "zh-tw") == "plain English"  # untranslated: as raised


def test_os_reasons_are_translated_and_keep_pythons_english():
    refused = ConnectionRefusedError(111, "Connection refused")
    assert os_reason(refused) == str(refused) == "[Errno 111] Connection refused"
    assert localize(os_reason(refused), "zh-tw") == "[Errno 111] 連線被拒絕"
    assert os_reason(OSError("odd")) == "odd"


def _not_a_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return bool(text.strip())
    return False


@given(st.text(min_size=1, max_size=10).filter(_not_a_float))
def test_a_bad_number_is_named_with_the_input_as_typed_in_every_language(raw):
    with pytest.raises(ValueError) as info:
        p.number({"volume": raw}, "volume")
    for lang in ("en", "zh-tw", "zh-cn"):
        assert repr(raw) in localize(info.value, lang) and "volume" in localize(info.value, lang)


def test_params_errors_are_translatable():
    cases = [lambda: p.parse_time("2017-13-01", "from"), lambda: p.symbol_name({}), lambda: p.order_type({}),
             lambda: p.ticket({"order_id": -1}, "order_id"), lambda: p.backtest_toggle({"backtest_toggle": 1}, "x"),
             lambda: p.check_keys({"stoploss": 1.1}, "send_order"), lambda: p.whole({"count": 1.5}, "count")]
    for case in cases:
        with pytest.raises(ValueError) as info:
            case()
        text = localize(info.value, "zh-tw")
        assert text != str(info.value) and any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_the_process_language_comes_from_use_lang_then_mas_lang(monkeypatch):
    monkeypatch.setenv("MAS_LANG", "zh_CN")
    use_lang(None)
    assert current_lang() == "zh-cn"
    use_lang("ZH-TW")
    try:
        assert current_lang() == "zh-tw"
    finally:
        use_lang(None)
    monkeypatch.setenv("MAS_LANG", "klingon")
    assert current_lang() == "en"
    with pytest.raises(ValueError, match="en, zh-tw, zh-cn"):
        use_lang("fr")


def test_facade_set_lang_covers_its_errors():
    from mas import MAS

    client = MAS()
    client.set_lang("zh-tw")
    assert client.order_check({"symbol": "EURUSD", "order_type": "buy", "volume": "0.1 lots"}) == {}
    code, text = client.last_error()
    assert text == "order_check：" + message("zh-tw", "number_expected", field="volume", value="0.1 lots"), text
    assert client.calc_order_margin({"action": "buy", "symbol": "EURUSD", "volume": -1, "price": 1.1}) == -1.0
    assert client.last_error()[1] == "calc_order_margin：volume：必須大於 0，收到 -1"
    assert client.login({"profile": "nosuch"}) is False
    assert client.last_error()[1].startswith("登入失敗：")
    english = MAS()
    english.order_check({"symbol": "EURUSD", "order_type": "buy", "volume": "0.1 lots"})
    assert english.last_error()[1] == "order_check: volume: expected a number such as 0.1 (or the string '0.1'), " \
                                      "got '0.1 lots'"
