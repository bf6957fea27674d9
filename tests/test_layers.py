"""The package's layers point one way: a module imports only from its own layer's package or from
layers below it, and no modules import each other in a cycle.  Read from the source with ``ast``
(imports inside functions count too), so it holds however the modules are loaded."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "newsfuse"

# lowest first; a top-level module or subpackage of newsfuse in each
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "version"),
    ("models", "settings", "ids"),
    ("stages",),
    ("encoding",),
    ("sources", "store", "assets", "executor"),
    ("work",),
    ("pipeline", "queries"),
    ("render", "evaluation"),
    ("web",),
    ("cli", "__init__"),
)
LAYER = {part: number for number, parts in enumerate(LAYERS) for part in parts}
# what a pure stage must never touch (I/O, clock and environment live in the outer layers)
STAGE_FORBIDDEN = ("sqlite3", "httpx", "requests", "urllib.request", "socket", "os", "time", "subprocess")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, module: str) -> set[str]:
    """Every module named by an import statement of ``path`` (relative imports resolved)."""
    names: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from a import b``: the module a.b where there is one, else a itself
            names |= {f"{base}.{alias.name}" for alias in node.names}
            names.add(base)
    return names


def _part(module: str) -> str:
    """The layer entry of a newsfuse module: its top-level module or subpackage."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        imported = {i for i in _imports(path, name) if i in modules and i != name}
        # a package named only as the base of ``from package import module`` is not imported for itself
        graph[name] = {i for i in imported if not any(j.startswith(i + ".") for j in imported) or _names(path, i)}
    return graph


def _names(path: Path, package: str) -> bool:
    """Whether ``path`` imports a name of ``package`` itself (not only its submodules)."""
    modules = _modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        own = isinstance(node, ast.ImportFrom) and node.module == package and not node.level
        if own and any(f"{package}.{alias.name}" not in modules for alias in node.names):  # type: ignore[union-attr]
            return True
        if isinstance(node, ast.Import) and any(alias.name == package for alias in node.names):
            return True
    return False


def test_layers_every_module_has_a_layer() -> None:
    assert sorted({_part(m) for m in _modules()} - set(LAYER)) == []


def test_layers_imports_point_down() -> None:
    upward = []
    for module, imported in _graph().items():
        for target in imported:
            here, there = _part(module), _part(target)
            if here == there:
                continue
            if LAYER[there] > LAYER[here] or (LAYER[there] == LAYER[here] and here != "__init__"):
                upward.append(f"{module} -> {target}")
    assert sorted(upward) == []


def test_layers_no_import_cycles() -> None:
    graph = _graph()
    # the package __init__ re-exports the public API; every module's import runs it first anyway
    graph = {m: {t for t in targets if t != "newsfuse"} for m, targets in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_layers_stages_do_no_io() -> None:
    modules = _modules()
    offending = []
    for name, path in modules.items():
        if _part(name) != "stages":
            continue
        for imported in _imports(path, name):
            if imported.split(".")[0] in STAGE_FORBIDDEN or imported in STAGE_FORBIDDEN:
                offending.append(f"{name} imports {imported}")
    assert offending == []


def test_layers_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The reader resolves both import forms (so the tests above can fail)."""
    source = tmp_path / "mod.py"
    source.write_text("from newsfuse.store import Store\nimport newsfuse.pipeline\nfrom . import sibling\n")
    assert {"newsfuse.store", "newsfuse.store.Store", "newsfuse.pipeline"} <= _imports(source, "newsfuse.stages.mod")
    assert "newsfuse.stages.sibling" in _imports(source, "newsfuse.stages.mod")
