"""User-facing messages in English, Traditional Chinese and Simplified Chinese."""

from __future__ import annotations

from mas.i18n.messages import MESSAGES, RETCODE_TEXT

LANGUAGES = ("en", "zh-tw", "zh-cn")


def normalise_lang(lang: str) -> str:
    """'en', 'zh-tw' or 'zh-cn' (case-insensitive, '_' accepted), else ValueError naming the choices."""
    key = str(lang).strip().lower().replace("_", "-")
    if key not in LANGUAGES:
        raise ValueError(f"lang: {lang!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return key


def message(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in (English when a text is missing)."""
    table = MESSAGES.get(key)
    if table is None:
        raise KeyError(f"no message {key!r}")
    template = table.get(lang) or table["en"]
    return template.format(**values)


def retcode_text(lang: str, retcode: int) -> str:
    """MT5's description of a trade return code in ``lang``."""
    texts = RETCODE_TEXT.get(int(retcode))
    if texts is None:
        return {"en": "return code", "zh-tw": "回傳碼", "zh-cn": "返回码"}[lang] + f" {retcode}"
    en, tw, cn = texts
    return {"en": en, "zh-tw": tw, "zh-cn": cn}[lang]
