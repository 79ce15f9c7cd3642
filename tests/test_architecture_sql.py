"""SQL lives in one place per app (issue #22): each app's SQL module (``leads/sql.py``, the
``scoring/sql/`` package, ``leadflow/sql.py``) is the only code that opens a cursor, runs
a statement, writes RawSQL or a raw query, or asks which database it runs on; no SQL text
names another app's table literally (``_meta.db_table`` does); no SQL text spells a
stage ('mql'): ``Stage`` does. Migrations, tests and benches are allowed raw SQL."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps

from leads.stages import Stage

ROOT = Path(__file__).resolve().parent.parent
APPS = ("plumbing", "leads", "scoring", "handoff", "leadflow", "demo")
SQL_MODULES = (
    "plumbing/sql.py",
    "leads/sql.py",
    "scoring/sql/",
    "handoff/sql.py",
    "leadflow/sql.py",
)
# Their own raw SQL: schema changes and data migrations, tests (they set up and inspect
# what the code wrote), benches (they seed and measure).
ALLOWED = ("migrations/", "tests/", "bench/")

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|CASE WHEN)\b")
QUOTED_STAGE = re.compile("'(" + "|".join(re.escape(s.value) for s in Stage) + ")'")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _app_of(path: str) -> str:
    return path.split("/", 1)[0]


def _is_sql_module(path: str) -> bool:
    return any(path == m or (m.endswith("/") and path.startswith(m)) for m in SQL_MODULES)


def _tables_of_other_apps(app: str) -> list[str]:
    return sorted(
        {m._meta.db_table for m in apps.get_models() if m._meta.app_label != app}, key=len
    )


def _is_connection(node: ast.expr) -> bool:
    """``connection`` or ``connections[...]`` (Django's, however imported)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr in {"connection", "connections"}
    return isinstance(node, ast.Name) and node.id in {"connection", "connections"}


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal, f-strings joined with ``{}`` where their values go."""
    found = []
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside_fstrings.add(id(value))
                is_text = isinstance(value, ast.Constant) and isinstance(value.value, str)
                parts.append(value.value if is_text else "{}")
            found.append((node.lineno, "".join(parts)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in inside_fstrings
        ):
            found.append((node.lineno, node.value))
    return found


def violations_in(source: str, path: str) -> list[Violation]:
    """What ``source``, the module at ``path`` (relative to the repository), breaks."""
    if path.startswith(ALLOWED) or "/migrations/" in path:
        return []
    tree = ast.parse(source)
    found: list[Violation] = []
    if not _is_sql_module(path):
        for node in ast.walk(tree):
            line = getattr(node, "lineno", 0)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name, receiver = node.func.attr, node.func.value
                if name == "cursor" and _is_connection(receiver):
                    found.append(Violation(path, line, "opens a cursor"))
                elif name in {"execute", "executemany"} and "cursor" in ast.unparse(receiver):
                    found.append(Violation(path, line, f"calls cursor.{name}"))
                elif name in {"raw", "extra"}:
                    found.append(Violation(path, line, f"runs a raw query (.{name})"))
            if isinstance(node, ast.Attribute) and node.attr == "Cursor":
                found.append(Violation(path, line, "opens a cursor"))
            if (isinstance(node, ast.Name) and node.id == "RawSQL") or (
                isinstance(node, ast.Attribute) and node.attr == "RawSQL"
            ):
                found.append(Violation(path, line, "uses RawSQL"))
            if isinstance(node, ast.ImportFrom) and any(a.name == "RawSQL" for a in node.names):
                found.append(Violation(path, line, "imports RawSQL"))
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "vendor"
                and _is_connection(node.value)
            ):
                found.append(Violation(path, line, "asks connection.vendor"))
    tables = _tables_of_other_apps(_app_of(path))
    other_table = re.compile(r"\b(" + "|".join(map(re.escape, tables)) + r")\b")
    for line, text in _strings(tree):
        if match := other_table.search(text):
            found.append(Violation(path, line, f"names another app's table {match[0]!r}"))
        if SQL_WORDS.search(text) and (match := QUOTED_STAGE.search(text)):
            found.append(Violation(path, line, f"spells the stage {match[0]} in SQL"))
    return found


def _modules() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT)) for app in APPS for path in (ROOT / app).rglob("*.py")
    )


def test_the_apps_have_modules_to_check() -> None:
    modules = _modules()
    assert "scoring/store.py" in modules
    assert "leads/sql.py" in modules
    assert "scoring/sql/scores.py" in modules


def test_only_each_apps_sql_module_runs_sql_or_asks_the_database_vendor() -> None:
    found = [str(v) for path in _modules() for v in violations_in((ROOT / path).read_text(), path)]
    assert found == []


CURSOR = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
"""
VENDOR = """
from django.db import connection
if connection.vendor == "postgresql":
    pass
"""
RAW_SQL = """
from django.db.models.expressions import RawSQL
expression = RawSQL("1", [])
"""
RAW_QUERY = """
from leads.models import Lead
rows = Lead.objects.raw("SELECT * FROM x")
"""


@pytest.mark.parametrize(
    ("snippet", "what"),
    [
        (CURSOR, "opens a cursor"),
        (CURSOR, "calls cursor.execute"),
        (VENDOR, "asks connection.vendor"),
        (RAW_SQL, "uses RawSQL"),
        (RAW_QUERY, "runs a raw query (.raw)"),
    ],
)
def test_sql_outside_the_sql_module_is_caught(snippet: str, what: str) -> None:
    assert what in [v.what for v in violations_in(snippet, "scoring/store.py")]
    assert violations_in(snippet, "scoring/sql/rows.py") == []
    assert violations_in(snippet, "leads/sql.py") == []
    assert violations_in(snippet, "scoring/migrations/0001_initial.py") == []
    assert violations_in(snippet, "tests/test_anything.py") == []


def test_another_apps_table_named_in_sql_text_is_caught_even_in_the_sql_module() -> None:
    snippet = 'LEADS = "SELECT id FROM leads_lead WHERE id = ANY(%s)"\n'
    assert [v.what for v in violations_in(snippet, "scoring/sql/rows.py")] == [
        "names another app's table 'leads_lead'"
    ]
    in_fstring = 'sql = f"UPDATE leads_lead SET fit = {fit}"\n'
    assert violations_in(in_fstring, "scoring/sql/scores.py") != []
    # Its own tables are its own business.
    assert violations_in(snippet, "leads/sql.py") == []


def test_a_stage_spelled_in_sql_text_is_caught() -> None:
    snippet = "sql = \"SELECT id FROM t WHERE stage = 'mql'\"\n"
    assert [v.what for v in violations_in(snippet, "leads/sql.py")] == [
        "spells the stage 'mql' in SQL"
    ]
    # Not SQL: a stage's name in a sentence is no statement.
    assert violations_in("text = \"moved to 'mql'\"\n", "leads/sql.py") == []
