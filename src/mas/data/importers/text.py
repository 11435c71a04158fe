"""Reading delimited text files: decoding, splitting rows, and parsing columns with line numbers.

Every importer of text formats goes through these helpers, so every malformed row is reported the
same way: :class:`ImportFormatError` naming the file, the 1-based line and the problem.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mas.data.importers.report import ImportFormatError

DELIMITERS = ("\t", ";", ",", "|")


@dataclass(frozen=True)
class TextRows:
    """The non-blank rows of a file split into columns (``columns[c][r]``), with their line numbers."""

    path: Path
    numbers: list[int]
    columns: list[list[str]]

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def line_numbers(self) -> np.ndarray:
        """The file's line number of each row, as an int64 array (for error messages)."""
        return np.array(self.numbers, dtype=np.int64)


def decode_text(path: Path) -> str:
    """The file's text: UTF-16 (with or without BOM) or UTF-8 (with or without BOM)."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if len(raw) > 1 and raw[1:2] == b"\x00":
        return raw.decode("utf-16-le")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFormatError(path, line, "not a text file (neither UTF-8 nor UTF-16)") from None


def read_lines(path: Path) -> list[str]:
    """The file's lines; an empty file is an error."""
    lines = decode_text(path).splitlines()
    if not lines:
        raise ImportFormatError(path, 1, "the file is empty")
    return lines


def sniff_delimiter(line: str, default: str = ",") -> str:
    """The first of tab, semicolon, comma and bar found in ``line``."""
    return next((d for d in DELIMITERS if d in line), default)


def split_rows(path: Path, lines: Sequence[str], first_number: int, delimiter: str, width: int) -> TextRows:
    """Split the non-blank ``lines`` (the first is line ``first_number``) into ``width`` fields each."""
    numbers = [number for number, line in enumerate(lines, start=first_number) if line.strip()]
    if not numbers:
        raise ImportFormatError(path, first_number, "no rows of data")
    rows = [lines[number - first_number] for number in numbers]
    separators = np.fromiter((row.count(delimiter) for row in rows), dtype=np.int64, count=len(rows))
    wrong = np.flatnonzero(separators != width - 1)
    if wrong.size:
        raise ImportFormatError(
            path,
            numbers[wrong[0]],
            f"expected {width} fields separated by {delimiter!r}, found {separators[wrong[0]] + 1}",
        )
    # One flat list of strings instead of a list per row: far fewer objects for the garbage collector.
    flat = delimiter.join(rows).split(delimiter)
    return TextRows(path=path, numbers=numbers, columns=[flat[index::width] for index in range(width)])


def parse_numbers(
    path: Path,
    numbers: Sequence[int],
    texts: Sequence[str],
    dtype: type,
    name: str,
    *,
    maximum: int = 0,
    non_negative: bool = False,
) -> np.ndarray:
    """One numeric column (``np.float64`` or ``np.int64``); the first bad value is an error.

    Floats must be finite (and >= 0 when ``non_negative``); whole numbers must be from 0 to
    ``maximum`` (when given).
    """
    kind = "number" if dtype is np.float64 else "whole number"
    try:
        values = np.array(texts, dtype=dtype)
    except (ValueError, OverflowError):
        for number, text in zip(numbers, texts, strict=True):
            try:
                np.array([text], dtype=dtype)
            except (ValueError, OverflowError):
                raise ImportFormatError(path, number, f"{name}: {text.strip()!r} is not a {kind}") from None
        raise
    if dtype is np.float64:
        bad = ~np.isfinite(values) | ((values < 0) if non_negative else False)
    else:
        bad = (values < 0) | (values > maximum) if maximum else values < 0
    if bad.any():
        index = int(np.argmax(bad))
        raise ImportFormatError(path, numbers[index], f"{name}: {texts[index].strip()!r} is out of range for a {kind}")
    return values


def parse_iso_stamps(
    path: Path,
    numbers: Sequence[int],
    stamps: Sequence[str],
    unit: str,
    shown: Callable[[int], str],
    expected: str,
) -> np.ndarray:
    """Epoch times in ``unit`` ("s" or "ms") of ISO-8601 ``stamps``.

    A stamp that does not parse is an error naming its line, showing ``shown(index)`` (the
    stamp as written in the file) and saying what was ``expected``.
    """
    try:
        return np.array(stamps, dtype=f"datetime64[{unit}]").astype(np.int64)
    except ValueError:
        pass
    for index, (number, stamp) in enumerate(zip(numbers, stamps, strict=True)):
        try:
            np.datetime64(stamp, unit)
        except ValueError:
            raise ImportFormatError(path, number, f"bad date/time {shown(index)!r}, expected {expected}") from None
    raise AssertionError("unreachable: a stamp failed to parse in bulk but not alone")


def first_line(path: Path, limit: int = 65536) -> str:
    """The first non-blank line of a text file (reading at most ``limit`` bytes), or ""."""
    with open(path, "rb") as handle:
        head = handle.read(limit)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    elif len(head) > 1 and head[1:2] == b"\x00":
        text = head[: len(head) // 2 * 2].decode("utf-16-le", errors="ignore")
    else:
        text = head.decode("utf-8-sig", errors="replace")
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
