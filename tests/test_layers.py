"""The layers of the code, lowest first: a module never imports from a layer above its own.

    civicbureau (the kernel) < staffing, jobs < budget < programs < dashboards, reports, portal, city, demo

The features at the top read several apps and none of the others: each can change without the rest.
Every import is read from the source (also those inside functions), so a lazy import cannot hide a
dependency. Tests and the benchmark stand above every layer.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "civicbureau": 0,
    "staffing": 1,
    "jobs": 1,
    "budget": 2,
    "programs": 3,
    "dashboards": 4,
    "reports": 4,
    "portal": 4,
    "city": 4,
    "demo": 4,
    "worklist": 4,
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level package, line) of every absolute import in the file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update((alias.name.split(".")[0], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
    return found


def source_files():
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield package, path


def violations() -> list[str]:
    wrong = []
    for package, path in source_files():
        level = LAYERS[package]
        for imported, line in sorted(imported_packages(path)):
            if imported == package or imported not in LAYERS:
                continue
            if LAYERS[imported] >= level:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported} (layer {LAYERS[imported]} ≥ {level})")
    return wrong


def test_no_module_imports_a_higher_layer_or_a_sibling_feature():
    assert violations() == []


def test_every_app_is_in_a_layer():
    """A new app must be placed in LAYERS, or this test would not look at it."""
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from dashboards.selectors import x\n", {"dashboards"}),
        ("def f():\n    import reports.rows\n", {"reports"}),
        ("from . import sibling\nimport os\n", {"os"}),
    ],
)
def test_the_reader_sees_every_kind_of_import(tmp_path, source, expected):
    path = tmp_path / "module.py"
    path.write_text(source)
    assert {package for package, _line in imported_packages(path)} == expected


def test_a_lower_layer_importing_a_higher_one_is_caught(tmp_path, monkeypatch):
    """The check itself can fail: a kernel module importing budget is reported with its line."""
    kernel = tmp_path / "civicbureau"
    kernel.mkdir()
    (kernel / "bad.py").write_text("import datetime\n\n\ndef f():\n    from budget.models import BudgetLine\n")
    monkeypatch.setattr("tests.test_layers.ROOT", tmp_path)
    monkeypatch.setattr("tests.test_layers.LAYERS", {"civicbureau": 0, "budget": 2})
    assert violations() == ["civicbureau/bad.py:5 imports budget (layer 2 ≥ 0)"]
