"""The import graph flows one way: text pipeline at the bottom, then corpus rows and group
statistics, then charts and renderers, the CLI at the top; charts never import the classifier.

Read statically from the source (every ``import``, also those inside functions, which run only
when called and so escape a check of ``sys.modules``), and followed transitively.
"""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "framing"

TEXT = {"framing.errors", "framing.normalize", "framing.voice", "framing.lexicon", "framing.matcher",
        "framing.attach", "framing.results", "framing.scorer", "framing._core"}
CLASSIFIER = {"framing.classifier", "framing.model", "framing.features", "framing.evaluation", "framing.evaluate",
              "sklearn"}
CLI = {"framing.cli", "framing.commands", "framing.__main__"}
CORPUS = {"framing.corpus", "framing.rows", "framing.schema", "framing.groups"}
RENDER = {"framing.render.text", "framing.render.html"}
#: Edges allowed against the flow, each with its reason.
EXCEPTIONS = {
    # Score._repr_html_, the notebook's display protocol: a method IPython looks up on the object,
    # imported only when a notebook shows a Score.
    ("framing.results", "framing.render.html"),
}


def _module_files() -> dict[str, Path]:
    out = {}
    for f in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.pyx")]:
        parts = f.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


_PYX_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+))", re.MULTILINE)


def import_graph() -> dict[str, set[str]]:
    """``{module: modules it imports}``: framing modules by full name, others by top-level package."""
    files = _module_files()
    graph = {}
    for name, f in files.items():
        package = name if f.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        if f.suffix == ".pyx":  # Cython: its Python-level imports, line by line (``cimport`` is C)
            source = f.read_text(encoding="utf-8")
            found.update(m.group(1) or m.group(2) for m in _PYX_IMPORT.finditer(source))
            graph[name] = {m if m.startswith("framing") else m.split(".")[0] for m in found} - {name}
            continue
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                for alias in node.names:  # `from . import charts` imports a module; `from .x import y` a name
                    found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base)
        graph[name] = {m if m.startswith("framing") else m.split(".")[0] for m in found} - {name}
    return graph


def _matches(module: str, group) -> bool:
    """``module`` is one of ``group`` or inside a package of it (the ``framing`` package itself aside)."""
    return any(module == g or (g != "framing" and module.startswith(g + ".")) for g in group)


def reaches(graph, start: str, forbidden, exceptions=EXCEPTIONS) -> list[str] | None:
    """The first import path from ``start`` to a module of ``forbidden``, or None."""
    paths = {start: [start]}
    todo = [start]
    while todo:
        here = todo.pop(0)
        for there in sorted(graph.get(here, ())):
            if (here, there) in exceptions or there in paths:
                continue
            paths[there] = paths[here] + [there]
            if _matches(there, forbidden):
                return paths[there]
            todo.append(there)
    return None


GRAPH = import_graph()
LIBRARY = {m for m in GRAPH if not _matches(m, CLI)}
RULES = [
    # (rule, the modules it is about, what they must never reach)
    ("the text pipeline reaches nothing above it", TEXT, set(GRAPH) - TEXT | {"pandas", "matplotlib", "sklearn"}),
    ("corpus rows, schemas and group statistics stay below charts, renderers, the classifier and the CLI",
     CORPUS, CLASSIFIER | CLI | {"framing.charts", "framing.render", "matplotlib"}),
    ("charts never import the classifier", {"framing.charts"}, CLASSIFIER | CLI),
    ("renderers draw results: no classifier, no CLI", RENDER, CLASSIFIER | CLI),
    ("only the CLI reaches the CLI", LIBRARY, CLI),
]


@pytest.mark.parametrize("rule, modules, forbidden", RULES, ids=[r[0] for r in RULES])
def test_the_import_graph_flows_one_way(rule, modules, forbidden):
    assert set(modules) <= set(GRAPH) | {"framing.__main__"}, "a module of the rule no longer exists"
    for module in sorted(modules & set(GRAPH)):
        path = reaches(GRAPH, module, forbidden - {module})
        assert path is None, f"{rule}: {' -> '.join(path)}"


# The checker itself, on small graphs: the paths it must find, and the ones it must not.
CHECKS = [
    ({"framing.charts": {"framing.table"}, "framing.table": {"framing.model"}}, "framing.charts", CLASSIFIER,
     ["framing.charts", "framing.table", "framing.model"]),  # a lazy import two steps away
    ({"framing.charts": {"sklearn"}}, "framing.charts", CLASSIFIER, ["framing.charts", "sklearn"]),
    ({"framing.render.text": {"framing.commands.common"}}, "framing.render.text", CLI,
     ["framing.render.text", "framing.commands.common"]),
    ({"framing.charts": {"framing.groups"}, "framing.groups": {"framing.schema"}}, "framing.charts", CLASSIFIER, None),
    ({"framing.results": {"framing.render.html"}}, "framing.results", {"framing.render"}, None),  # the one exception
]


@pytest.mark.parametrize("graph, start, forbidden, path", CHECKS)
def test_reaches(graph, start, forbidden, path):
    assert reaches(graph, start, forbidden) == path


def test_the_graph_sees_imports_inside_functions():
    # charts imports groups inside its functions only (CompareSettings): the graph must still have it
    assert "framing.groups" in GRAPH["framing.charts"]
    assert "framing.model" in GRAPH["framing.commands.train"] and "sklearn" in GRAPH["framing.classifier"]
