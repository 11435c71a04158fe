"""The user-facing raise sites of ``src/mas``: translatable (a catalog key) or English only.

    python tests/i18n/raise_sites.py            # the counts, then the English-only sites by module
    python tests/i18n/raise_sites.py --summary  # the counts only

A raise site is a ``raise SomeError(...)`` whose message is written at the site. It is *translatable* when the
error is raised with a catalog key (``InputError("key", ...)``, ``NotFoundError``, any ``Translatable``) or given a
:class:`mas.i18n.Text` (``LookupError(Text("key", ...))``, ``text_of(exc)``); *English only* when its message is a
string literal or an f-string. Programmer errors (``NotImplementedError``, ``AssertionError``, ``TypeError`` of an
internal call, ``RuntimeError``), re-raises and raises without a message are not counted.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "mas"
TRANSLATABLE_CLASSES = {"InputError", "NotFoundError", "Translatable"}
NOT_USER_FACING = {"NotImplementedError", "AssertionError", "RuntimeError", "StopIteration", "SystemExit",
                   "KeyboardInterrupt", "AttributeError", "TypeError", "KeyError", "IndexError"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _translatable_classes() -> set[str]:
    """The classes of src/mas that derive (by name, transitively) from the translatable ones."""
    bases: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    found = set(TRANSLATABLE_CLASSES)
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in ("Text", "text_of", "lines", "os_reason")


def _is_english(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and any(ch.isalpha() for ch in str(v.value)) for v in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.BinOp):
        return _is_english(node.left) or _is_english(node.right)
    if isinstance(node, ast.IfExp):
        return _is_english(node.body) or _is_english(node.orelse)
    return False


def raise_sites(source: Path = SOURCE) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, str]]]:
    """(translatable, english_only): (module path, line, exception class) of each user-facing raise site of the
    package at ``source`` (src/mas by default)."""
    translatable_classes = _translatable_classes()
    translatable, english = [], []
    for path in sorted(source.rglob("*.py")):
        module = str(path.relative_to(source.parent))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            kind = _name(node.exc.func)
            if kind in NOT_USER_FACING or not kind:
                continue
            args = node.exc.args
            site = (module, node.lineno, kind)
            if kind in translatable_classes or (args and _is_text(args[0])):
                translatable.append(site)
            elif args and _is_english(args[0]):
                english.append(site)
    return translatable, english


def main(argv: list[str]) -> None:
    """Print the counts, and unless ``--summary`` the English-only sites by module."""
    translatable, english = raise_sites()
    total = len(translatable) + len(english)
    print(f"user-facing raise sites: {total}; translatable: {len(translatable)}; English only: {len(english)}")
    if "--summary" in argv:
        return
    by_module = Counter(module for module, _, _ in english)
    for module, count in sorted(by_module.items(), key=lambda item: (-item[1], item[0])):
        lines = ", ".join(str(line) for m, line, _ in english if m == module)
        print(f"{count:4} {module}: line {lines}")


if __name__ == "__main__":
    main(sys.argv[1:])
