"""The documentation site (mkdocs.yml, docs/): it builds with ``mkdocs build --strict``, in English and Traditional
Chinese, offline, and its reference pages say what the code does.

The build runs once per session, as a user would run it (``python -m mkdocs build --strict -d DIR`` in a
subprocess); the assertions read the built HTML.
"""

from __future__ import annotations

import ast
import html
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mas import params as p
from mas.client import MAS
from mas.sim.settings import BAR_MODELS, TICK_MODELS
from mas.terminal import constants as c

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LANGS = ("", "zh-TW/")  # the English site at the root, the Chinese one under zh-TW/
sys.path.insert(0, str(DOCS / "_hooks"))
import cli_reference  # noqa: E402  (docs/_hooks: the hook that renders the CLI reference)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV; the nav does not need them."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_pages() -> list[str]:
    """Every page of mkdocs.yml's nav (paths under docs/, English)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    pages: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            else:
                pages.append(value)

    walk(config["nav"])
    return pages


def english_sources() -> list[str]:
    """The English pages under docs/ (a translation is NAME.zh-TW.md beside NAME.md)."""
    return sorted(str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md")
                  if not path.name.endswith(".zh-TW.md") and "_hooks" not in path.parts)


def url_of(page: str) -> str:
    """Where a page lands in the built site (``concepts/clock.md`` -> ``concepts/clock/index.html``)."""
    stem = page[: -len(".md")]
    return "index.html" if stem == "index" else f"{stem}/index.html"


def text_of(markup: str) -> str:
    """The visible text of an HTML page: tags removed, entities decoded, whitespace collapsed."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def codes_of(markup: str) -> set[str]:
    """The texts of the page's ``<code>`` elements."""
    return {html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(r"<code[^>]*>(.*?)</code>", markup,
                                                                                  flags=re.S)}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once: ``python -m mkdocs build --strict`` into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, (
        "mkdocs build --strict failed (install the docs tools with pip install -e '.[docs]'):\n"
        + done.stdout[-4000:] + done.stderr[-4000:])
    return out


def read(site: Path, lang: str, page: str) -> str:
    path = site / f"{lang}{url_of(page)}"
    assert path.exists(), f"{lang or 'en/'}{page} was not built ({path})"
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------ both languages
def test_every_english_page_is_in_the_nav_and_has_its_traditional_chinese_page():
    pages, sources = nav_pages(), english_sources()
    assert sorted(pages) == sorted(set(pages)), "a page is twice in mkdocs.yml's nav"
    missing_nav = sorted(set(sources) - set(pages))
    assert not missing_nav, f"docs pages that are not in mkdocs.yml's nav: {missing_nav}"
    untranslated = [page for page in sources if not (DOCS / page.replace(".md", ".zh-TW.md")).exists()]
    assert not untranslated, f"English pages without their zh-TW translation (NAME.zh-TW.md): {untranslated}"


def test_the_existing_docs_stay_at_their_paths():
    for name in ("architecture", "compatibility", "data", "engine", "live", "llm", "metrics"):
        assert f"{name}.md" in nav_pages(), name


def test_both_languages_are_built_for_every_page(site):
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for page in nav_pages():
        english, chinese = read(site, "", page), read(site, "zh-TW/", page)
        assert '<html lang="en"' in english, page
        assert '<html lang="zh-TW"' in chinese, page
        main = re.search(r'<article class="md-content__inner.*?</article>', chinese, flags=re.S)
        assert main is not None, page
        assert len(cjk.findall(text_of(main.group(0)))) >= 20, f"zh-TW/{page} is not in Chinese"
        # the language switch leads from each page to its translation and back
        for markup, lang, other in ((english, "", "zh-TW"), (chinese, "zh-TW/", "en")):
            link = re.search(rf'<a href="([^"]*)" hreflang="{other}"', markup)
            assert link is not None, f"{lang}{page} has no link to its {other} page"
            href = link.group(1)
            base = site if href.startswith("/") else (site / f"{lang}{url_of(page)}").parent
            target = (base / href.lstrip("/") / "index.html").resolve()
            expected = site / f"{'zh-TW/' if other == 'zh-TW' else ''}{url_of(page)}"
            assert target == expected.resolve(), f"{lang}{page}: the {other} link {href} leads to {target}"


def test_the_site_works_offline(site):
    """No Google fonts and nothing loaded from another host (links to other sites are fine)."""
    for path in site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in markup and "fonts.gstatic" not in markup, path
        remote = re.findall(r"<(?:script|img|iframe)\b[^>]*\bsrc=\"(?:https?:)?//[^\"]+\"", markup)
        remote += [tag for tag in re.findall(r"<link\b[^>]*>", markup)
                   if re.search(r"\bhref=\"(?:https?:)?//", tag) and re.search(r"rel=\"(?:stylesheet|preload|"
                                                                              r"preconnect|icon)\"", tag)]
        assert not remote, f"{path.relative_to(site)} loads {remote}"


# ------------------------------------------------------------------------------------------------ send_order
def _fields_read(function: ast.FunctionDef, helpers: dict[str, ast.FunctionDef]) -> set[str]:
    """The ``params`` fields a function reads: ``params.get("x")``, ``params["x"]``, and the fields of the
    ``mas.params`` helpers it calls with ``params`` (their literal reads, their ``field`` argument or default)."""
    fields: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "params" \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            fields.add(node.slice.value)
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "params" \
                and func.attr == "get" and node.args and isinstance(node.args[0], ast.Constant):
            fields.add(node.args[0].value)
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        takes_params = node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "params"
        if name in helpers and takes_params and name not in ("check_keys", "order_trade_request", "request_fields"):
            helper = helpers[name]
            given = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            names = [a.arg for a in helper.args.args]
            if "field" in names and not given:
                default = helper.args.defaults[names.index("field") - len(names)] if helper.args.defaults else None
                if isinstance(default, ast.Constant):
                    given = [default.value]
            fields.update(given if "field" in names else _fields_read(helper, {}))
    return fields


def send_order_fields_in_code() -> set[str]:
    """Every field ``MAS.send_order`` (src/mas/client.py) and ``params.order_trade_request`` read."""
    # read from the source files: in the compiled build (CI) mas.params has no source for inspect to return
    source = Path(__file__).resolve().parents[2] / "src" / "mas"
    params_tree = ast.parse((source / "params.py").read_text(encoding="utf-8"))
    helpers = {f.name: f for f in params_tree.body if isinstance(f, ast.FunctionDef)}
    client_tree = ast.parse((source / "client.py").read_text(encoding="utf-8"))
    send_order = next(f for f in ast.walk(client_tree) if isinstance(f, ast.FunctionDef) and f.name == "send_order")
    return _fields_read(send_order, helpers) | _fields_read(helpers["order_trade_request"], helpers)


def test_the_code_reads_only_fields_it_declares():
    read_fields = send_order_fields_in_code()
    assert {"symbol", "order_type", "volume", "sl", "tp", "backtest_toggle", "expiration"} <= read_fields
    assert read_fields <= p.KNOWN_FIELDS["send_order"], read_fields - p.KNOWN_FIELDS["send_order"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_send_order_page_lists_every_field_and_order_type(site, lang):
    markup = read(site, lang, "reference/send-order.md")
    codes = codes_of(markup)
    fields = send_order_fields_in_code() | p.KNOWN_FIELDS["send_order"]
    assert not fields - codes, f"send_order fields missing from {lang}reference/send-order: {fields - codes}"
    types = set(c.ORDER_TYPE_BY_NAME)
    assert not types - codes, f"order types missing from {lang}reference/send-order: {types - codes}"
    for call in ("modify_order", "cancel_order", "modify_position_sltp"):
        assert not p.KNOWN_FIELDS[call] - codes, f"{call} fields missing: {p.KNOWN_FIELDS[call] - codes}"
    # each field of send_order has its own row in the fields table
    rows = re.findall(r"<tr>\s*<td><code>([a-z_]+)</code></td>", markup)
    assert not p.KNOWN_FIELDS["send_order"] - set(rows), p.KNOWN_FIELDS["send_order"] - set(rows)


@pytest.mark.parametrize("lang", LANGS)
def test_the_modeling_modes_page_names_every_model(site, lang):
    codes = codes_of(read(site, lang, "concepts/modeling-modes.md"))
    assert set(BAR_MODELS) | set(TICK_MODELS) <= codes


# ------------------------------------------------------------------------------------------------ API reference
def _public_methods() -> dict[str, str]:
    """The facade's public methods and properties (defined in mas.client) with their docstrings."""
    out = {}
    for name, value in vars(MAS).items():
        if name.startswith("_") or not (inspect.isfunction(value) or isinstance(value, (property, staticmethod))):
            continue
        out[name] = inspect.getdoc(value) or ""
    return out


def _letters(text: str) -> str:
    """``text`` without backticks and whitespace (HTML puts spaces around inline code where the source has none)."""
    return "".join(text.replace("`", "").split())


@pytest.mark.parametrize("lang", LANGS)
def test_the_api_reference_shows_every_facade_method_with_its_docstring(site, lang):
    markup = read(site, lang, "reference/api.md")
    text = _letters(text_of(markup))
    methods = _public_methods()
    assert len(methods) >= 40
    for name, doc in methods.items():
        assert f'id="mas.client.MAS.{name}"' in markup, f"MAS.{name} is not in {lang}reference/api"
        assert doc, f"MAS.{name} has no docstring"
        first = _letters(doc.split("\n\n")[0])[:50]
        assert first in text, f"MAS.{name}'s docstring ({first!r}) is not on {lang}reference/api"


def test_the_application_services_and_result_records_are_documented(site):
    import mas.app

    markup = read(site, "", "reference/app.md")
    for name in mas.app.__all__:
        assert re.search(rf'id="mas\.app\.\w+\.{name}"', markup), f"mas.app.{name} is not in reference/app"
    records = read(site, "", "reference/results.md")
    for name in ("BacktestResult", "TradeRecord"):
        assert f'id="mas.results.{name}"' in records, name
    for page in ("reference/api.md", "reference/app.md", "reference/results.md"):
        roles = re.findall(r":(?:class|func|meth|mod|attr|data|exc):<code>", read(site, "", page))
        assert not roles, f"{page} shows Sphinx roles as text: {roles[:3]}"


# ------------------------------------------------------------------------------------------------ CLI reference
@pytest.mark.parametrize("lang", LANGS)
def test_the_cli_reference_lists_every_registered_command_and_option(site, lang):
    markup = read(site, lang, "reference/cli.md")
    headings = {text_of(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", markup, flags=re.S)}
    headings = {h.replace("¶", "").strip() for h in headings}
    paths = [path for path, _command, _ctx in cli_reference.commands()]
    assert {"mas backtest", "mas data import", "mas sim serve", "mas optimize"} <= set(paths)
    assert not set(paths) - headings, f"commands missing from {lang}reference/cli: {set(paths) - headings}"
    codes = codes_of(markup)
    for path, command, ctx in cli_reference.commands():
        for param in command.get_params(ctx):
            if getattr(param, "param_type_name", "") == "option" and not getattr(param, "hidden", False):
                assert param.opts[0] in codes, f"{path} {param.opts[0]} is not in {lang}reference/cli"


def test_the_chinese_cli_reference_says_the_help_in_chinese(site):
    """The zh-TW page renders the help texts from the catalog ``mas --lang zh-tw`` prints from."""
    from mas.cli.help import help_text

    chinese, english = text_of(read(site, "zh-TW/", "reference/cli.md")), text_of(read(site, "", "reference/cli.md"))
    for path, command, _ctx in cli_reference.commands():
        said = " ".join(help_text(command.help or "", "zh-tw").split())
        if said and said != " ".join((command.help or "").split()):
            assert said[:40] in chinese, f"{path}: its Chinese help is not on the zh-TW page"
            assert said[:40] not in english, f"{path}: the English page shows the Chinese help"
    assert "參數 / 選項" in chinese and "Argument / option" in english


def test_the_cli_reference_is_generated_not_written():
    """The page holds the marker only: the hook fills it in from the typer app at every build."""
    for page in ("reference/cli.md", "reference/cli.zh-TW.md"):
        source = (DOCS / page).read_text(encoding="utf-8")
        assert cli_reference.MARKER in source and "## `mas " not in source, page
