"""The simulated terminal's comments: English in MT5's fields, the client's language in its messages."""

from __future__ import annotations

import pickle
import string

import pytest

import mas
from mas.i18n import LANGUAGES
from mas.i18n.comments import COMMENTS, Comment, localize

YEAR = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-02", "to": "2017-01-04", "backtest_toggle": True}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(COMMENTS))
def test_every_comment_has_every_language_with_the_same_fields(key):
    table = COMMENTS[key]
    assert set(table) == set(LANGUAGES)
    assert {lang: fields(text) for lang, text in table.items()} == dict.fromkeys(LANGUAGES, fields(table["en"]))
    sample = {name: 1.5 for name in fields(table["en"])}
    comment = Comment(key, **sample)
    assert comment == table["en"].format(**sample)  # the English text, as MT5's comment fields carry it
    for lang in LANGUAGES:
        assert localize(comment, lang) == table[lang].format(**sample)


def test_a_comment_is_plain_text_outside_the_client():
    comment = Comment("position_not_open", position=7)
    assert isinstance(comment, str) and comment == "position 7 is not open"
    restored = pickle.loads(pickle.dumps(comment))
    assert type(restored) is str and restored == comment
    assert localize("a live server's comment", "zh-tw") == "a live server's comment"


@pytest.mark.parametrize(("lang", "expected", "english"), [
    ("zh-tw", "買單在", "invalid stops for a buy"),
    ("zh-cn", "买单在", "invalid stops for a buy"),
    ("en", "invalid stops for a buy", "買單在"),
])
def test_a_rejection_reaches_the_strategy_in_its_language(lang, expected, english):
    statuses = []

    class Client(mas):
        def receive_bars(self, symbol, data, is_end):
            if not statuses:  # a buy whose stop loss is above the price: refused
                self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "sl": data["close"] + 0.01,
                                 "backtest_toggle": True})

        def receive_order_status(self, order_id, status_data):
            statuses.append(status_data)

    client = Client()
    client.set_lang(lang)
    client.subscribe_bars(YEAR)
    assert statuses[0]["retcode"] == 10016
    assert expected in statuses[0]["message"] and english not in statuses[0]["message"]
    assert expected in client.last_error()[1]
