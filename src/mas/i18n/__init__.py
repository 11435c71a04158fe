"""User-facing messages in English, Traditional Chinese and Simplified Chinese.

Every message a user sees has a key in the catalog (:data:`MESSAGES`: the facade's statuses in
:mod:`mas.i18n.messages`, the errors in :mod:`mas.i18n.error_messages` and :mod:`mas.i18n.command_messages`,
the ``mas`` command's own summaries in :mod:`mas.i18n.cli_messages`) with the three texts and the same
``str.format`` fields (a test holds every key to that). :func:`message` renders one in a language.

Errors are translatable (:mod:`mas.i18n.errors`): a raise site names a key and its values,
``raise InputError("value_not_date", field="from", value=text)``; ``str(error)`` is the English text (so
logs and tests that read English keep working) and :func:`localize` gives it in a language. The MAS
facade renders its errors in the language of ``set_lang``; the ``mas`` command in the language of
``mas --lang`` or the ``MAS_LANG`` environment variable (:func:`current_lang`).
"""

from __future__ import annotations

import os

from mas.i18n.errors import InputError, NotFoundError, Text, Translatable, localize, message
from mas.i18n.messages import MESSAGES, RETCODE_TEXT

LANGUAGES = ("en", "zh-tw", "zh-cn")
LANG_ENV = "MAS_LANG"
"""The environment variable that picks the language of the ``mas`` command (``--lang`` wins)."""

__all__ = ["LANGUAGES", "LANG_ENV", "MESSAGES", "RETCODE_TEXT", "InputError", "NotFoundError", "Text",
           "Translatable", "current_lang", "localize", "message", "normalise_lang", "retcode_text", "use_lang"]

_chosen: list[str] = []  # the language use_lang chose for this process (the mas command's --lang)


def normalise_lang(lang: str) -> str:
    """'en', 'zh-tw' or 'zh-cn' (case-insensitive, '_' accepted), else ValueError naming the choices."""
    key = str(lang).strip().lower().replace("_", "-")
    if key not in LANGUAGES:
        raise InputError("lang_unsupported", lang=lang, valid=", ".join(LANGUAGES))
    return key


def use_lang(lang: str | None) -> None:
    """Make ``lang`` this process's language (what the ``mas`` command's ``--lang`` does); None forgets it."""
    _chosen[:] = [normalise_lang(lang)] if lang is not None else []


def current_lang() -> str:
    """The process's language: the one :func:`use_lang` chose, else ``MAS_LANG`` when it names one, else 'en'."""
    if _chosen:
        return _chosen[0]
    try:
        return normalise_lang(os.environ.get(LANG_ENV) or "en")
    except ValueError:
        return "en"


def retcode_text(lang: str, retcode: int) -> str:
    """MT5's description of a trade return code in ``lang``."""
    texts = RETCODE_TEXT.get(int(retcode))
    if texts is None:
        return {"en": "return code", "zh-tw": "回傳碼", "zh-cn": "返回码"}[lang] + f" {retcode}"
    en, tw, cn = texts
    return {"en": en, "zh-tw": tw, "zh-cn": cn}[lang]
