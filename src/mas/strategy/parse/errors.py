"""Errors of the text parser: what it could not read, or the readings an ambiguous text has.

The message is a :class:`mas.i18n.Text` (English by ``str()``, any language by :func:`mas.i18n.localize`); the
user's quoted words (``fragment``) and the ``readings`` stay as fields the web app and the command read.
"""

from __future__ import annotations

from mas.i18n.errors import Text

__all__ = ["AmbiguityError", "ParseError"]


class ParseError(ValueError):
    """Text the parser refuses; ``fragment`` quotes the user's words it could not read."""

    def __init__(self, message: str, fragment: str = "", start: int = -1, end: int = -1) -> None:
        self.fragment = fragment
        self.start, self.end = start, end
        if fragment and f'"{fragment}"' not in message:
            message = Text("parse_at", message=message, fragment=fragment)
        super().__init__(message)

    def __reduce__(self) -> tuple:
        message, readings = self.args[0] if self.args else "", list(getattr(self, "readings", ()))
        return (_rebuild, (type(self), message, self.fragment, self.start, self.end, readings))


class AmbiguityError(ParseError):
    """Text with more than one reading; ``readings`` says each in plain words."""

    def __init__(self, message: str, readings: list[str], fragment: str = "", start: int = -1, end: int = -1) -> None:
        self.readings = list(readings)
        listed = Text.lines([Text.lines([f"({i}) ", text], "") for i, text in enumerate(self.readings, 1)],
                           Text("spec_list_separator"))
        super().__init__(Text("parse_readings", message=message, listed=listed), fragment, start, end)


def _rebuild(cls: type[ParseError], message: str, fragment: str, start: int, end: int,
             readings: list[str]) -> ParseError:
    """A pickled parser error back: its message (a text, already quoting the fragment) and its fields."""
    error = cls.__new__(cls)
    ParseError.__init__(error, message, fragment, start, end)
    if isinstance(error, AmbiguityError):
        error.readings = readings
    return error
