"""The import graph of ``secretariat`` has no cycle at all, between packages or modules, with
the imports inside functions counted (an import deferred to dodge a cycle is still one).
import-linter's contracts (``[tool.importlinter]`` in pyproject.toml) are checked by
``make lint``; this test also catches what their sibling check does not: a package's
``__init__`` and one of its own modules importing each other."""

import sys
from pathlib import Path

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if position < len(edges[node]):
                work.append((node, position + 1))
                following = edges[node][position]
                if following not in index:
                    work.append((following, 0))
                elif following in on_stack:
                    low[node] = min(low[node], index[following])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    package = tmp_path / "layered"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from layered import b\n")
    (package / "b.py").write_text("def later():\n    from layered import c\n")
    (package / "c.py").write_text("import layered.a\n")
    (package / "d.py").write_text("from layered import a\n")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("layered", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    assert _cycles(graph) == [["layered.a", "layered.b", "layered.c"]]


def test_no_module_of_secretariat_is_in_an_import_cycle() -> None:
    graph = grimp.build_graph("secretariat", cache_dir=None)
    assert _cycles(graph) == []
