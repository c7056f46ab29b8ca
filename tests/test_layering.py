"""The evaluation measures the product: no product module exists only for the evaluation.

Every module of the package outside ``wirewatch.eval`` must be imported by some other product module
(or be an entry point); a module that only ``wirewatch.eval`` (or only the tests) imports would be a
second code path that users never run.  And ``wirewatch.eval`` reaches the pipeline only through the
runner (ingest, then the exporters) or ``batch.geoparse`` (the ``geoparse`` command's library call).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "wirewatch"
ENTRY_POINTS = {"wirewatch.__main__", "wirewatch.cli.main"}


def _modules() -> dict[str, Path]:
    out = {}
    for p in PACKAGE.rglob("*.py"):
        parts = p.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports (absolute or relative, ``from x import module`` included)."""
    pkg = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        found.update(t for t in targets if t in known and t != name)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(name, path, set(mods)) for name, path in mods.items()}


def test_the_import_walker_sees_relative_and_absolute_imports() -> None:
    graph = _graph()
    assert "wirewatch.pipeline.batch" in graph["wirewatch.eval.runner"]
    assert "wirewatch.cli.main" in graph["wirewatch.__main__"]


def test_no_product_module_is_imported_only_by_the_evaluation() -> None:
    graph = _graph()
    importers: dict[str, set[str]] = {m: set() for m in graph}
    for mod, deps in graph.items():
        for d in deps:
            importers[d].add(mod)
    lonely = []
    for mod, paths in sorted(importers.items()):
        if mod.startswith("wirewatch.eval") or mod in ENTRY_POINTS or (PACKAGE.parent / mod.replace(".", "/")).is_dir():
            continue
        if not {m for m in paths if not m.startswith("wirewatch.eval")}:
            lonely.append((mod, sorted(paths)))
    assert not lonely, f"modules only the evaluation (or nothing) imports: {lonely}"


def test_the_evaluation_calls_the_pipeline_only_through_ingest_export_and_geoparse() -> None:
    graph = _graph()
    allowed = {"wirewatch.pipeline.batch", "wirewatch.config", "wirewatch.errors", "wirewatch.export",
               "wirewatch.export.jsonl", "wirewatch.store", "wirewatch.extract.actors",  # normalise_name only
               "wirewatch.geo.aliases", "wirewatch.geo.distance"}  # the demonym list and the distance only
    for mod, deps in graph.items():
        if mod.startswith("wirewatch.eval"):
            outside = {d for d in deps if not d.startswith("wirewatch.eval")}
            assert outside <= allowed, (mod, sorted(outside - allowed))
