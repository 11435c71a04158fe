"""Static checks of the package's shape (issue 14), read with ``ast`` from ``src/mas``; nothing is imported.

- no import cycles between modules (lazy, function-level imports and ``importlib.import_module("mas...")``
  included, ``if TYPE_CHECKING:`` blocks excluded), and no cycle through a package ``__init__``;
- the layers below: a module never imports a module of a higher layer;
- no module writes another object's private attributes;
- no module over :data:`MAX_LINES` lines;
- the docs stand alone: every relative link in README.md and docs/*.md names a file in the repository.

docs/architecture.md shows the same layer table; keep the two in step.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "mas"
MAX_LINES = 900

# The layers, lowest first: (name, what it holds, its modules). A module belongs to the layer of the longest entry that
# names it or a package above it ("mas.strategy.parse" covers mas.strategy.parse.grammar; the root package "mas"
# covers only mas/__init__.py). A module imports from its own layer or lower ones, never from a higher one; modules of
# one layer may import each other (without cycles). docs/architecture.md shows this table.
LAYERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("foundation", "the seam's types and constants, messages, MAS params, result records",
     ("mas.terminal", "mas.i18n", "mas.params", "mas.results", "mas.api_records", "mas.choices")),
    ("data", "bar and tick stores, importers, downloaders, the bundled sample",
     ("mas.data",)),
    ("sessions", "the facade's state holder, the session base, the event interface and the MAS dicts",
     ("mas.sessions",)),
    ("simulator", "the simulated terminal, its clock, market, book, symbols and run settings",
     ("mas.sim", "mas.build_info")),
    ("rules and reports", "strategy specs and their text parser, indicators, conditions, the array kernels, metrics "
     "and reports",
     ("mas.strategy.spec", "mas.strategy.builtin_specs", "mas.strategy.parse", "mas.strategy.explain",
      "mas.strategy.llm", "mas.strategy.export", "mas.strategy.indicators", "mas.strategy.conditions",
      "mas.strategy.levels",
      "mas.vector.jit", "mas.vector.indicators", "mas.vector.candles", "mas.vector.kernel", "mas.vector.signals",
      "mas.vector.ledger", "mas.vector.metrics", "mas.reports")),
    ("modes", "the backtest session, the live session and live terminals, the sim server",
     ("mas.backtest", "mas.live", "mas.groups")),
    ("facade", "class MAS, the documented API",
     ("mas", "mas.mas", "mas.client")),
    ("strategies", "MAS strategies: compiled specs, the built-ins, strategy targets",
     ("mas.strategy", "mas.strategy.compiler", "mas.strategy.builtins", "mas.strategy.targets")),
    ("engines", "the vectorized engine, the optimizer, the live runner",
     ("mas.vector", "mas.optimize", "mas.live.runner")),
    ("application", "the services every front end calls",
     ("mas.app",)),
    ("front ends", "the mas command, the web app, the MetaTrader5 drop-in module",
     ("mas.cli", "mas.__main__", "mas.web", "mas.mt5")),
)


# ----------------------------------------------------------------------------------------------------------------
# The import graph
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    tree: ast.Module
    # target module -> line numbers of the imports; ``eager`` holds the ones that run at import time
    imports: dict[str, list[int]] = field(default_factory=dict)
    eager: set[str] = field(default_factory=set)


def _module_name(path: Path) -> tuple[str, bool]:
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of every node inside an ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``) block's body."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for stmt in node.body:
                skip.update(id(sub) for sub in ast.walk(stmt))
    return skip


def _eager_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes that run when the module is imported: everything outside function bodies."""
    eager: set[int] = set()

    def visit(node: ast.AST) -> None:
        eager.add(id(node))
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child)

    visit(tree)
    return eager


def _is_import_module_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ("import_module", "__import__")


def _string_constants(tree: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _dynamic_targets(call: ast.Call, tree: ast.Module) -> list[str]:
    """The module names an ``import_module(...)`` call can load.

    A literal argument is that module. A computed one (``import_module(_HOMES[name])``,
    ``import_module(f"mas.optimize.{home}")``) may load any string constant of the module that names a module
    of the package, alone or after the literal prefix of an f-string in the argument (the lazy re-export tables
    of ``__init__`` files).
    """
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    prefixes = [""] + [str(part.values[0].value) for part in ast.walk(arg) if isinstance(part, ast.JoinedStr)
                       and part.values and isinstance(part.values[0], ast.Constant)]
    return [prefix + text for text in _string_constants(tree) for prefix in prefixes]


def _load_modules() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name, is_package = _module_name(path)
        modules[name] = Module(name, path, is_package, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    for module in modules.values():
        _collect_imports(module, modules)
    return modules


def _resolve(target: str, modules: dict[str, Module]) -> str | None:
    """The module a dotted import target loads: ``mas.a.b.NAME`` -> ``mas.a.b`` (or ``mas.a.b.NAME`` when that
    is a module itself)."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def _collect_imports(module: Module, modules: dict[str, Module]) -> None:
    skip = _type_checking_nodes(module.tree)
    eager = _eager_nodes(module.tree)
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for node in ast.walk(module.tree):
        if id(node) in skip:
            continue
        candidates: list[str] = []
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            candidates = [f"{base}.{alias.name}" for alias in node.names]
        elif _is_import_module_call(node):
            assert isinstance(node, ast.Call)
            dynamic = [t for t in _dynamic_targets(node, module.tree) if t in modules]
            candidates = dynamic
        for candidate in candidates:
            if candidate != "mas" and not candidate.startswith("mas."):
                continue
            target = _resolve(candidate, modules)
            if target is None or target == module.name or target == "mas":
                continue
            module.imports.setdefault(target, []).append(node.lineno if hasattr(node, "lineno") else 0)
            if id(node) in eager:
                module.eager.add(target)


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph(modules: dict[str, Module]) -> dict[str, set[str]]:
    """Module -> the modules it imports (importing ``mas.a.b`` depends on ``mas.a.b``, not on ``mas.a``)."""
    return {name: set(module.imports) for name, module in modules.items()}


def package_graph(modules: dict[str, Module]) -> dict[str, set[str]]:
    """The import graph plus what importing a module really runs first: the ``__init__`` of each package on the
    target's path that the importer is not itself inside. An ``__init__`` contributes only the imports it runs
    at import time (a lazy ``__getattr__`` re-export runs later, and is checked in :func:`import_graph`)."""
    graph: dict[str, set[str]] = {}
    for name, module in modules.items():
        edges = set(module.eager) if module.is_package else set(module.imports)
        own = set(_ancestors(name)) | ({name} if module.is_package else set())
        for target in list(edges):
            edges.update(a for a in _ancestors(target) if a not in own and a in modules and a != "mas")
        graph[name] = edges
    return graph


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of ``graph`` with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return components


def _cycle_path(graph: dict[str, set[str]], component: set[str], start: str) -> list[str]:
    """A shortest closed path from ``start`` back to it inside ``component`` (breadth-first)."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & component):
                if child == start:
                    chain = [node]
                    while chain[-1] != start:
                        chain.append(previous[chain[-1]])
                    return [*reversed(chain), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"{start} is on no cycle of {sorted(component)}")


@pytest.fixture(scope="module")
def modules() -> dict[str, Module]:
    return _load_modules()


# ----------------------------------------------------------------------------------------------------------------
# Import cycles
# ----------------------------------------------------------------------------------------------------------------


def _all_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """For each strongly connected component, the shortest cycle through each of its modules (deduplicated)."""
    found: dict[frozenset[tuple[str, str]], list[str]] = {}
    for component in _components(graph):
        for start in sorted(component):
            path = _cycle_path(graph, component, start)
            found.setdefault(frozenset(zip(path, path[1:], strict=False)), path)
    return sorted(found.values())


def test_no_import_cycles(modules):
    """Lazy imports count: a function-level import is a dependency all the same (only ``if TYPE_CHECKING:`` blocks
    are left out), and so is ``importlib.import_module("mas...")``."""
    graph = import_graph(modules)
    found = _all_cycles(graph)
    assert not found, "import cycles (each a path of modules, lazy imports included):\n" + "\n".join(
        "  " + " -> ".join(path) + "\n" + _edge_lines(modules, path) for path in found)


def test_no_package_init_closes_a_cycle(modules):
    """Importing ``mas.a.b`` runs ``mas/a/__init__.py`` first, so what an ``__init__`` imports when it runs is a
    dependency of every module that imports from its package."""
    graph = package_graph(modules)
    plain = {frozenset(zip(p, p[1:], strict=False)) for p in _all_cycles(import_graph(modules))}
    found = [p for p in _all_cycles(graph) if frozenset(zip(p, p[1:], strict=False)) not in plain]
    assert not found, "import cycles through a package __init__ (X -> mas.pkg: importing from mas.pkg runs its " \
        "__init__):\n" + "\n".join("  " + " -> ".join(path) for path in found)


def _edge_lines(modules: dict[str, Module], path: list[str]) -> str:
    lines = []
    for a, b in zip(path, path[1:], strict=False):
        where = ", ".join(str(n) for n in sorted(set(modules[a].imports.get(b, []))))
        lines.append(f"      {_rel(modules[a].path)}:{where} imports {b}")
    return "\n".join(lines)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ----------------------------------------------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------------------------------------------


def layer_of(name: str) -> int | None:
    """Index in :data:`LAYERS` of the longest entry naming ``name`` or a package above it (``mas`` only itself)."""
    best: tuple[int, int] | None = None  # (entry length, layer index)
    for index, (_, _, entries) in enumerate(LAYERS):
        for entry in entries:
            covers = name == entry or (entry != "mas" and name.startswith(entry + "."))
            if covers and (best is None or len(entry) > best[0]):
                best = (len(entry), index)
    return None if best is None else best[1]


def test_the_layer_table_names_every_module_and_only_modules(modules):
    unplaced = sorted(name for name in modules if layer_of(name) is None)
    assert not unplaced, f"modules in no layer (add them to LAYERS and to docs/architecture.md): {unplaced}"
    entries = [entry for _, _, names in LAYERS for entry in names]
    assert len(entries) == len(set(entries)), "an entry is listed twice in LAYERS"
    stale = [e for e in entries if not any(m == e or m.startswith(e + ".") for m in modules)]
    assert not stale, f"LAYERS names modules that do not exist: {stale}"


def test_docs_architecture_shows_the_layer_table():
    """docs/architecture.md's table under "## Layers": one row per layer, lowest first, ``| n | name | `modules` |``."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("\n## Layers", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].isdigit():
            rows.append((int(cells[0]), cells[1], tuple(re.findall(r"`([\w.]+)`", cells[2]))))
    expected = [(number, name, entries) for number, (name, _, entries) in enumerate(LAYERS, start=1)]
    assert rows == expected, "docs/architecture.md's layer table differs from LAYERS in tests/test_architecture.py"


def test_lower_layers_never_import_higher_ones(modules):
    offences = []
    for name, module in sorted(modules.items()):
        own = layer_of(name)
        for target, lines in sorted(module.imports.items()):
            theirs = layer_of(target)
            if own is not None and theirs is not None and theirs > own:
                offences.append(f"  {_rel(module.path)}:{min(lines)}: {name} ({LAYERS[own][0]}) imports {target} "
                                f"({LAYERS[theirs][0]})")
    assert not offences, "imports from a higher layer (lazy ones included):\n" + "\n".join(offences)


# ----------------------------------------------------------------------------------------------------------------
# Private attributes
# ----------------------------------------------------------------------------------------------------------------

_OWN = frozenset({"self", "cls"})
_DICT_WRITERS = frozenset({"setdefault", "pop", "popitem", "update", "clear", "__setitem__", "__delitem__"})


def _is_private(attribute: str) -> bool:
    return attribute.startswith("_") and not (attribute.startswith("__") and attribute.endswith("__"))


def _is_own(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in _OWN


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        roots = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        roots = [node.target]
    elif isinstance(node, ast.Delete):
        roots = list(node.targets)
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        roots = [node.target]
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        roots = [node.optional_vars]
    elif isinstance(node, ast.NamedExpr):
        roots = [node.target]
    else:
        return []
    flat: list[ast.expr] = []
    while roots:
        target = roots.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            roots.extend(target.elts)
        elif isinstance(target, ast.Starred):
            roots.append(target.value)
        else:
            flat.append(target)
    return flat


def private_writes(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, what) for each write to another object's private attribute in ``tree``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        for target in _targets(node):
            if isinstance(target, ast.Attribute) and _is_private(target.attr) and not _is_own(target.value):
                found.append((target.lineno, f"{ast.unparse(target)} is written"))
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute) and \
                    target.value.attr == "__dict__" and not _is_own(target.value.value):
                found.append((target.lineno, f"{ast.unparse(target)} is written"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _DICT_WRITERS and isinstance(func.value, ast.Attribute) \
                and func.value.attr == "__dict__" and not _is_own(func.value.value):
            found.append((node.lineno, f"{ast.unparse(func)}(...) changes another object's __dict__"))
        is_setattr = (isinstance(func, ast.Name) and func.id in ("setattr", "delattr")) or (
            isinstance(func, ast.Attribute) and func.attr in ("__setattr__", "__delattr__")
            and isinstance(func.value, ast.Name) and func.value.id == "object")
        if is_setattr and len(node.args) >= 2:
            obj, name = node.args[0], node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and _is_private(name.value) \
                    and not _is_own(obj):
                found.append((node.lineno, f"{ast.unparse(node)[:80]} writes a private attribute"))
    return sorted(found)


def test_no_module_writes_another_objects_private_attributes(modules):
    """``other._name = ...`` (or ``+=``, ``del``, ``setattr(other, "_name", ...)``, ``other.__dict__[...] = ...``)
    reaches into an object's insides; only ``self`` / ``cls`` write their own private attributes."""
    offences = [f"  {_rel(module.path)}:{line}: {what}" for module in modules.values()
                for line, what in private_writes(module.tree)]
    assert not offences, "writes to another object's private attributes:\n" + "\n".join(sorted(offences))


@pytest.mark.parametrize(("source", "expected"), [
    ("self._x = 1", 0), ("cls._x += 1", 0), ("other._x = 1", 1), ("del other._x", 1), ("a.b._c, d = 1, 2", 1),
    ("other.__x = 1", 1), ("other.__doc__ = 'x'", 0), ("other.x = 1", 0), ("setattr(other, '_x', 1)", 1),
    ("setattr(self, '_x', 1)", 0), ("object.__setattr__(other, '_x', 1)", 1), ("other.__dict__['x'] = 1", 1),
    ("self.__dict__['x'] = 1", 0), ("other.__dict__.setdefault('x', 1)", 1), ("other.__dict__.pop('x')", 1),
    ("for other._i in range(3): pass", 1), ("self.part._x = 1", 1),
])
def test_the_private_write_check_reads_each_form(source, expected):
    assert len(private_writes(ast.parse(source))) == expected


# ----------------------------------------------------------------------------------------------------------------
# Module size
# ----------------------------------------------------------------------------------------------------------------


def test_no_module_is_over_the_line_limit(modules):
    sizes = {m.path: len(m.path.read_text(encoding="utf-8").splitlines()) for m in modules.values()}
    over = [f"  {_rel(path)}: {count} lines" for path, count in sorted(sizes.items()) if count > MAX_LINES]
    assert not over, f"modules over {MAX_LINES} lines (split them by job):\n" + "\n".join(over)


# ----------------------------------------------------------------------------------------------------------------
# The docs stand alone
# ----------------------------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
_HTML_LINK = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
_OUTSIDE_WORDS = ("../shared", "/work/shared", "/work/notes")


def _doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def doc_links(text: str) -> list[str]:
    """Link targets of a markdown text (inline, reference-style and HTML), code blocks and code spans left out."""
    prose = _CODE_SPAN.sub("", _FENCE.sub("", text))
    return [m.group(1) for pattern in (_INLINE_LINK, _REFERENCE_LINK, _HTML_LINK) for m in pattern.finditer(prose)]


def broken_links(doc: Path, text: str | None = None) -> list[str]:
    """What is wrong with the links of the page ``doc`` (its ``text``, read from the file when not given)."""
    problems = []
    text = doc.read_text(encoding="utf-8") if text is None else text
    for target in doc_links(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) and not target.lower().startswith("file:"):
            continue  # https:, mailto: ...
        path_part = target.split("#", 1)[0].split("?", 1)[0]
        if not path_part:
            continue  # an anchor in the same page
        if target.lower().startswith("file:") or path_part.startswith(("/", "~")):
            problems.append(f"{target}: an absolute path (link a file of the repository, relative to the page)")
            continue
        resolved = (doc.parent / path_part).resolve()
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file in the repository")
    for word in _OUTSIDE_WORDS:
        if word in text:
            problems.append(f"mentions {word!r}, which readers of the repository do not have")
    return problems


@pytest.mark.parametrize("doc", _doc_files(), ids=lambda p: _rel(p))
def test_every_relative_link_in_the_docs_names_a_file_of_the_repository(doc):
    assert doc.exists(), f"{_rel(doc)} is missing"
    problems = broken_links(doc)
    assert not problems, f"{_rel(doc)}:\n" + "\n".join("  " + p for p in problems)


def test_the_link_check_finds_each_kind_of_bad_link():
    assert doc_links("[a](x.md) ![b](img/c.png \"t\") `[no](code.md)`\n[r]: ../y.md\n<a href='z.md'>z</a>") == [
        "x.md", "img/c.png", "../y.md", "z.md"]
    page = ROOT / "docs" / "architecture.md"
    for bad in ("../../outside.md", "/abs/path.md", "no-such-file.md", "../shared/docs/design.md", "file:///x.md"):
        assert broken_links(page, f"see [it]({bad})"), bad
    assert not broken_links(page, "see [it](engine.md#the-clock), [web](https://example.com), [top](#x)")
