"""MkDocs hook: the CLI reference, rendered at build time from the ``mas`` typer app so it never goes stale.

A page that holds the marker ``<!-- mas-cli-reference -->`` gets, in its place, one section per command
(``mas``, ``mas backtest``, ``mas data import``, ...): its help text, usage, a table of its arguments and
options, and its example. :func:`commands` is also what tests/docs/test_site.py checks the page against.

The API reference's docstrings are written for Python's help and the source (Sphinx roles such as
``:class:`~mas.results.BacktestResult```); :func:`on_page_content` shows each role as the name it refers to.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from typing import Any

MARKER = "<!-- mas-cli-reference -->"


class _DynamicAllFilter(logging.Filter):
    """Drop griffe's note that ``mas.mt5.__all__`` is built from a tuple (``[*MT5_FUNCTIONS, ...]``): griffe reads
    modules without running them, so it cannot list those names; the drop-in module's reference is not generated
    from ``__all__`` anyway. Every other warning still fails the ``--strict`` build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Unsupported item in mas.mt5.__all__" not in record.getMessage()


logging.getLogger("mkdocs.plugins.griffe").addFilter(_DynamicAllFilter())


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace the marker with the generated reference, in the page's language (other pages pass through)."""
    if MARKER not in markdown:
        return markdown
    source = str(getattr(getattr(page, "file", None), "src_path", ""))
    return markdown.replace(MARKER, cli_markdown("zh-tw" if source.endswith(".zh-TW.md") else "en"))


_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj):<code>(~?)([^<]+)</code>")


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Sphinx roles in rendered docstrings as plain code: ``:class:`~a.b.C``` shows ``C``, ``:mod:`a.b``` ``a.b``."""
    return _ROLE.sub(lambda m: f"<code>{m[2].rsplit('.', 1)[-1] if m[1] else m[2]}</code>", html)


def commands() -> Iterator[tuple[str, Any, Any]]:
    """Every command of ``mas`` as (path such as ``"mas data import"``, click command, click context), groups
    before their subcommands, hidden commands left out."""
    import typer

    from mas.cli.main import app

    root = typer.main.get_command(app)

    def walk(command: Any, path: str, parent: Any) -> Iterator[tuple[str, Any, Any]]:
        ctx = command.context_class(command, info_name=path.split()[-1], parent=parent)
        yield path, command, ctx
        if hasattr(command, "list_commands"):  # a group (typer may bring its own click: no isinstance)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not getattr(sub, "hidden", False):
                    yield from walk(sub, f"{path} {name}", ctx)

    yield from walk(root, "mas", None)


def _cell(text: Any) -> str:
    """``text`` safe inside a Markdown table cell (one line, no HTML, no column breaks)."""
    text = " ".join(str(text).split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace(
        "*", "\\*")


def _prose(text: str) -> str:
    """A help text as Markdown paragraphs (typer's ``\\b`` no-rewrap markers dropped, HTML escaped)."""
    text = text.replace("\b", "").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _default(param: Any) -> str:
    if getattr(param, "is_flag", False):
        return "off" if not param.default else "on"
    value = param.default
    if value is None or value == () or value == [] or callable(value):
        return ""
    value = getattr(value, "value", value)  # an Enum member
    return f"`{value}`" if str(value) != "" else '`""`'


def _names(param: Any) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        return f"`{(param.metavar or param.name or '').upper()}`"
    names = [*param.opts, *param.secondary_opts]
    return ", ".join(f"`{name}`" for name in names)


_HEADINGS = {"en": ("Argument / option", "Value", "Default", "Description", "(required)", "Example:"),
             "zh-tw": ("參數 / 選項", "值", "預設", "說明", "（必填）", "範例：")}


def command_markdown(path: str, command: Any, ctx: Any, lang: str = "en") -> str:
    """One command's section: heading, help, usage, parameters and example, the texts in ``lang`` (``en`` or
    ``zh-tw``: the help catalog the ``mas --lang`` option prints from)."""
    from mas.cli.help import help_text as said

    names, value_head, default_head, description_head, required_word, example_head = _HEADINGS[lang]
    lines = [f"## `{path}`", ""]
    help_text = said(command.help or command.short_help or "", lang)
    if help_text:
        lines += [_prose(help_text), ""]
    pieces = " ".join(command.collect_usage_pieces(ctx))
    lines += ["```text", f"{path} {pieces}".rstrip(), "```", ""]
    rows = []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        kind = "argument" if getattr(param, "param_type_name", "") == "argument" else "option"
        value = "" if getattr(param, "is_flag", False) or kind == "argument" else param.metavar or ""
        required = f" {required_word}" if getattr(param, "required", False) else ""
        rows.append(f"| {_names(param)} | {_cell(value)} | {_default(param)} | "
                    f"{_cell(said(getattr(param, 'help', None) or '', lang) + required)} |")
    if rows:
        lines += [f"| {names} | {value_head} | {default_head} | {description_head} |", "|---|---|---|---|", *rows, ""]
    if command.epilog:
        epilog = command.epilog.strip()
        if epilog.startswith("Example: ") and " " in path:  # the root's example is a sentence, not a command
            example = said(epilog[len("Example: "):], lang)
            example = re.sub(r"^(.*?) \((.*)\)$", r"\1  # \2", example)  # a note as a comment
            lines += [example_head, "", "```bash", example, "```", ""]
        else:
            lines += [_prose(said(epilog, lang)), ""]
    return "\n".join(lines)


@functools.cache  # once per build and language
def cli_markdown(lang: str = "en") -> str:
    """The whole reference in ``lang``: every command of the ``mas`` app, in the order ``mas --help`` lists them."""
    return "\n".join(command_markdown(path, command, ctx, lang) for path, command, ctx in commands())
