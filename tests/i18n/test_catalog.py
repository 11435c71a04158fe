"""The message catalog: every key in the three languages with the same fields, Traditional and Simplified
texts written in their own script, and every text renders any value as given."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.i18n import LANGUAGES, MESSAGES
from mas.i18n.comments import COMMENTS
from mas.i18n.zh_script import SIMPLIFIED

CATALOGS = {"messages": MESSAGES, "comments": COMMENTS}
ENTRIES = [(name, key) for name, table in CATALOGS.items() for key in table]


def fields(template: str) -> set[tuple[str, str, str]]:
    """The (name, conversion, spec) of every replacement field of ``template``."""
    return {(name, conv or "", spec or "") for _, name, spec, conv in string.Formatter().parse(template)
            if name is not None}


@pytest.mark.parametrize(("catalog", "key"), ENTRIES)
def test_every_key_has_the_three_languages_with_the_same_fields(catalog, key):
    texts = CATALOGS[catalog][key]
    assert set(texts) == set(LANGUAGES), key
    assert all(texts[lang].strip() or texts["en"] == texts[lang] for lang in LANGUAGES), key
    assert fields(texts["zh-tw"]) == fields(texts["en"]) == fields(texts["zh-cn"]), key


TRADITIONAL_ONLY = {trad for simp, trad in SIMPLIFIED.items() if simp != trad}
SIMPLIFIED_ONLY = {simp for simp, trad in SIMPLIFIED.items() if simp != trad}


@pytest.mark.parametrize(("catalog", "key"), ENTRIES)
def test_each_chinese_text_is_in_its_own_script(catalog, key):
    """The project's Simplified/Traditional table (mas.i18n.zh_script) holds the two scripts apart: no
    Traditional-only character in a Simplified text, no Simplified-only one in a Traditional text."""
    texts = CATALOGS[catalog][key]
    assert not set(texts["zh-cn"]) & TRADITIONAL_ONLY, (key, sorted(set(texts["zh-cn"]) & TRADITIONAL_ONLY))
    assert not set(texts["zh-tw"]) & SIMPLIFIED_ONLY, (key, sorted(set(texts["zh-tw"]) & SIMPLIFIED_ONLY))


def test_chinese_texts_are_chinese():
    """A zh text that is the English one would be an untranslated entry (only field-only texts may agree)."""
    for key, texts in MESSAGES.items():
        bare = "".join(ch for ch in texts["en"] if ch.isalpha() and ch.isascii())
        words = [w for w in texts["en"].split() if w.isalpha() and "{" not in w]
        if len(words) >= 3:
            for lang in ("zh-tw", "zh-cn"):
                assert any("\u4e00" <= ch <= "\u9fff" for ch in texts[lang]), (key, lang, bare)


NUMERIC = ("g", "f", "d", "e", "%", ",", "_")  # a format spec only a number takes ("{rows:,}")
values = st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(MESSAGES)), st.data())
def test_every_message_renders_any_value_as_given(key, data):
    """Whatever the values (the user's input, numbers), every language renders them verbatim and never fails."""
    from mas.i18n import message

    template = MESSAGES[key]["en"]
    chosen = {}
    for name, _conv, spec in fields(template):
        if spec.rstrip(".0123456789").endswith(NUMERIC):
            chosen[name] = data.draw(st.floats(-1e6, 1e6, allow_nan=False), label=name)
        else:
            chosen[name] = data.draw(values, label=name)
    for lang in LANGUAGES:
        text = message(lang, key, **chosen)
        for name, conv, spec in fields(template):
            if spec:
                continue
            shown = repr(chosen[name]) if conv == "r" else str(chosen[name])
            assert shown in text, (key, lang, name)


def test_the_catalogs_are_disjoint_and_all_reach_message():
    from mas.i18n.cli_messages import CLI_MESSAGES
    from mas.i18n.command_messages import COMMAND_MESSAGES
    from mas.i18n.error_messages import ERROR_MESSAGES

    parts = [ERROR_MESSAGES, COMMAND_MESSAGES, CLI_MESSAGES]
    for i, first in enumerate(parts):
        for second in parts[i + 1:]:
            assert not set(first) & set(second)
        assert all(MESSAGES[key] is texts for key, texts in first.items())
