"""Errors of the text parser: what it could not read, or the readings an ambiguous text has."""

from __future__ import annotations

__all__ = ["AmbiguityError", "ParseError"]


class ParseError(ValueError):
    """Text the parser refuses; ``fragment`` quotes the user's words it could not read."""

    def __init__(self, message: str, fragment: str = "", start: int = -1, end: int = -1) -> None:
        self.fragment = fragment
        self.start, self.end = start, end
        quoted = f' (at "{fragment}")' if fragment and f'"{fragment}"' not in message else ""
        super().__init__(f"{message}{quoted}")


class AmbiguityError(ParseError):
    """Text with more than one reading; ``readings`` says each in plain words."""

    def __init__(self, message: str, readings: list[str], fragment: str = "", start: int = -1, end: int = -1) -> None:
        self.readings = list(readings)
        listed = "; ".join(f"({i}) {text}" for i, text in enumerate(self.readings, 1))
        super().__init__(f"{message}; it could mean: {listed}", fragment, start, end)
