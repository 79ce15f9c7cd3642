"""The import graph has one direction (docs/architecture.md): the library ``plumbing`` at
the bottom, then the core ``leads``, then ``scoring``, then ``handoff``, then ``demo``; the
project package ``leadflow`` on top wires them together and nothing imports it back.

Read with ``ast``, so imports inside functions (the lazy ones a cycle would hide in) count
too. Relative imports stay inside their package and need no check."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each package and the packages it must never import, even lazily.
FORBIDDEN: dict[str, frozenset[str]] = {
    "plumbing": frozenset({"leadflow", "leads", "scoring", "handoff", "demo"}),
    "leads": frozenset({"leadflow", "scoring", "handoff", "demo"}),
    "scoring": frozenset({"leadflow", "handoff", "demo"}),
    "handoff": frozenset({"leadflow", "demo"}),
    "demo": frozenset({"leadflow"}),
}


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) for every absolute import in the source, at any depth."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def forbidden_imports(package: str, source: str, *, filename: str = "<snippet>") -> list[str]:
    """The imports in ``source`` (a module of ``package``) that go the wrong way."""
    return [
        f"{filename}:{line} imports {module}"
        for line, module in imported_modules(source)
        if module.split(".")[0] in FORBIDDEN[package]
    ]


def test_no_package_imports_a_package_above_it() -> None:
    problems = []
    for package in FORBIDDEN:
        for module in sorted((ROOT / package).rglob("*.py")):
            name = str(module.relative_to(ROOT))
            problems += forbidden_imports(package, module.read_text(), filename=name)
    assert problems == []


def test_every_package_of_the_graph_is_checked() -> None:
    top_level = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert top_level - {"leadflow", "tests", "bench"} == set(FORBIDDEN)


@pytest.mark.parametrize(
    ("package", "snippet", "caught"),
    [
        (
            "leads",
            "from leadflow.pages.lead import render_lead_page",
            "1 imports leadflow.pages.lead",
        ),
        ("scoring", "import leadflow.instruments", "1 imports leadflow.instruments"),
        ("handoff", "from leadflow import charts", "1 imports leadflow"),
        ("plumbing", "from leadflow.settings import BASE_DIR", "1 imports leadflow.settings"),
        ("leads", "def score():\n    from scoring import engine\n", "2 imports scoring"),
        ("leads", "from handoff.models import Handoff", "1 imports handoff.models"),
        ("plumbing", "from leads.models import Lead", "1 imports leads.models"),
        ("plumbing", "import scoring.engine as engine", "1 imports scoring.engine"),
        ("plumbing", "from handoff import notify", "1 imports handoff"),
        ("scoring", "from handoff.routing import route", "1 imports handoff.routing"),
        ("handoff", "from demo.leads import seed_demo", "1 imports demo.leads"),
    ],
)
def test_an_import_going_the_wrong_way_is_caught(package: str, snippet: str, caught: str) -> None:
    assert forbidden_imports(package, snippet) == [f"<snippet>:{caught}"]


@pytest.mark.parametrize(
    ("package", "snippet"),
    [
        ("leads", "from plumbing.errors import Conflict\nfrom leads.models import Lead"),
        ("scoring", "from leads import hooks"),
        ("handoff", "from scoring.engine import score_lead"),
        ("plumbing", "from django.http import HttpRequest\nfrom . import errors"),
        ("demo", "from handoff.handoffs import reject\nfrom scoring import live"),
        ("leads", "import leadflowish"),
    ],
)
def test_an_import_going_down_the_graph_is_allowed(package: str, snippet: str) -> None:
    assert forbidden_imports(package, snippet) == []
