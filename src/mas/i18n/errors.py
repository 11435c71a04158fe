"""Translatable texts and errors: English by ``str()``, any language by :func:`localize`.

A :class:`Text` is a ``str`` (its English text) that also remembers its catalog key and values, the way
the terminal's :class:`~mas.i18n.comments.Comment` does; a :class:`Translatable` exception carries one. A
raise site names a key of the catalog (:mod:`mas.i18n.error_messages`) and the values, never a sentence::

    raise InputError("value_not_date", field="from", value=text)      # a ValueError
    raise NotFoundError("profile_unknown", name=name, hint=...)        # a LookupError
    raise ConversionError(Text("conv_head", ...))                      # any exception class, given a Text

``str(error)`` is the English text, so logs, ``pytest.raises(match=...)`` and callers that read the text keep
working; :func:`localize` renders the error (or a text) in a language. The MAS facade passes its
language (``set_lang``) and the ``mas`` command its own (``--lang``, ``MAS_LANG``).

The values stay as given (numbers, names, the user's own input); a value that is itself a ``Text`` or a
``Translatable`` error (a "did you mean" suggestion, the reason of a failed login) is rendered in the same
language as the message around it. ``Text.lines`` joins several texts into one (a multi-line message).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mas.i18n.messages import MESSAGES

__all__ = ["InputError", "NotFoundError", "Text", "Translatable", "localize", "message", "os_reason", "text_of"]

_OS_REASONS = {"ConnectionRefusedError": "os_connection_refused", "TimeoutError": "os_timed_out",
               "ConnectionResetError": "os_connection_reset", "FileNotFoundError": "os_no_such_file",
               "PermissionError": "os_permission_denied", "IsADirectoryError": "os_is_a_directory"}


def message(lang: str, key: str, /, **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in (English when a text is missing); a value that
    is a :class:`Text` or a :class:`Translatable` error is rendered in ``lang`` too."""
    table = MESSAGES.get(key)
    if table is None:
        raise KeyError(f"no message {key!r}")
    template = table.get(lang) or table["en"]
    if lang != "en":
        values = {name: localize(v, lang) if isinstance(v, (Text, BaseException)) else v for name, v in values.items()}
    return template.format(**values)


class Text(str):
    """English text of a catalog message that also knows its ``key`` and ``values``."""

    key: str
    values: dict[str, Any]
    parts: tuple[str, ...]
    separator: str

    def __new__(cls, key: str, /, **values: Any) -> Text:
        text = super().__new__(cls, message("en", key, **values))
        text.key, text.values, text.parts, text.separator = key, values, (), ""
        return text

    @classmethod
    def lines(cls, parts: Iterable[str], separator: str = "\n") -> Text:
        """Several texts (each a ``Text`` or a plain ``str``) joined by ``separator``, rendered part by part."""
        items = tuple(parts)
        text = str.__new__(cls, separator.join(str(p) for p in items))
        text.key, text.values, text.parts, text.separator = "", {}, items, separator
        return text

    def in_lang(self, lang: str) -> str:
        """This text in ``lang`` ('en', 'zh-tw' or 'zh-cn')."""
        if not self.key:
            return localize(self.separator, lang).join(localize(p, lang) for p in self.parts)
        return message(lang, self.key, **self.values)

    def __reduce__(self) -> tuple:
        if not self.key:
            return (_joined, (self.parts, self.separator))
        return (_text, (self.key, self.values))


def _text(key: str, values: dict[str, Any]) -> Text:
    return Text(key, **values)


def _joined(parts: tuple[str, ...], separator: str) -> Text:
    return Text.lines(parts, separator)


class Translatable(Exception):
    """Mixin of errors whose message is a :class:`Text`: ``str(error)`` is English, ``localized(lang)`` the
    same message in another language. Combine it with the built-in class callers catch, e.g.
    ``class InputError(Translatable, ValueError)``."""

    text: Text | None

    def __init__(self, key: str | Text, /, **values: Any) -> None:
        if isinstance(key, Text):
            self.text = key
        elif key in MESSAGES:
            self.text = Text(key, **values)
        else:  # a sentence, not a key (code that re-raises ``type(error)(new_text)``): kept as given, in English
            self.text = None
        super().__init__(str(self.text) if self.text is not None else key)

    def localized(self, lang: str) -> str:
        """The error's message in ``lang``."""
        return self.text.in_lang(lang) if self.text is not None else str(self)

    def __reduce__(self) -> tuple:
        return (_rebuild, (type(self), self.text if self.text is not None else str(self)))


def _rebuild(cls: type[Translatable], text: str) -> Translatable:
    error = cls.__new__(cls)
    Translatable.__init__(error, text)
    return error


class InputError(Translatable, ValueError):
    """Bad input (an option, a parameter, a value): a ``ValueError`` with a translatable message."""


class NotFoundError(Translatable, LookupError):
    """Something asked for is not there (stored data, a profile): a ``LookupError`` with a translatable message."""


def text_of(error: BaseException) -> str:
    """The message of ``error`` for wrapping it in another error: its :class:`Text` when it has one (so the
    wrapper stays translatable), else ``str(error)``."""
    if isinstance(error, Translatable):
        return error.text if error.text is not None else str(error)
    own = error.args[0] if len(error.args) == 1 else None
    return own if isinstance(own, Text) and str(own) == str(error) else str(error)


def os_reason(error: OSError) -> str:
    """An operating-system error as ``[Errno N] reason`` (``str(error)``'s English form for the common ones), a
    :class:`Text` for a refused connection, a timeout, a missing file or a denied permission."""
    key = next((_OS_REASONS[k.__name__] for k in type(error).__mro__ if k.__name__ in _OS_REASONS), None)
    if key is None or error.errno is None or str(error) != f"[Errno {error.errno}] {error.strerror}":
        return str(error)
    return Text(key, errno=error.errno)


def localize(value: Any, lang: str) -> str:
    """``value`` as text in ``lang``: a :class:`Text`, a :class:`Translatable` error or any exception whose one
    argument is a ``Text`` (``LookupError(Text(...))``) in that language, a terminal comment in that language,
    anything else as ``str(value)``."""
    if isinstance(value, Text):
        return value.in_lang(lang)
    if isinstance(value, Translatable):
        return value.localized(lang)
    if isinstance(value, BaseException):
        own = value.args[0] if len(value.args) == 1 else None
        return own.in_lang(lang) if isinstance(own, Text) and str(value) == str(own) else str(value)
    from mas.i18n.comments import Comment

    if isinstance(value, Comment):
        return value.in_language(lang)
    return str(value)
