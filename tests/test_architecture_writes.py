"""Only the core's write functions change who a lead belongs to or where it stands.

A lead's stage, owner, campaign and source decide which report slices its history counts
in (leads.reports.rollups): a write that skips the core's functions leaves the rollups wrong
without any error. So this test reads every module with ``ast`` and fails when a module
other than the designated write modules writes one of those fields.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The lead's fields that only the core's write functions may write.
GUARDED_FIELDS = frozenset({"stage", "owner", "owner_id", "campaign", "campaign_id", "source"})

# The core's write modules: every creation of a lead and every change of the fields above
# goes through a function here, and those functions re-key the rollups themselves.
WRITE_MODULES = {
    "leads/lifecycle.py": "creates leads and is the only writer of a stage",
    "leads/records.py": "changes a lead's details; re-keys the rollups on every write",
}

# Where a write outside the core is fine, and why.
ALLOWED = {
    "tests/": "tests build their own fixtures",
    "bench/": "benchmark seeding builds synthetic leads for load_leads",
    "leads/migrations/": "migrations run before any report exists",
    "scoring/migrations/": "migrations run before any report exists",
    "handoff/migrations/": "migrations run before any report exists",
    "demo/leads.py": "builds unsaved demo leads that lifecycle.load_leads writes and rolls up",
}

# Querysets and managers whose writes this test judges: Lead's, and any variable whose
# name says it holds leads (``leads.update(...)``, ``lead.save(...)``).
SKIPPED_DIRS = {".venv", "node_modules", "static", "test-artifacts", ".git", "locale"}
CREATING = {"create", "get_or_create", "update_or_create"}
UPDATING = {"update"}


def _root_name(node: ast.expr) -> str:
    """The name a chain of attributes and calls starts from: ``Lead`` for
    ``Lead.objects.filter(pk=1).update``."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else ""


def _on_leads(node: ast.expr) -> bool:
    name = _root_name(node)
    return name == "Lead" or "lead" in name.lower()


def _strings(node: ast.expr) -> set[str] | None:
    """The field names a literal list names, or None when they are computed."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        names: set[str] = set()
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                names.add(element.value)
            else:
                return None
        return names
    return None


def _keywords_written(call: ast.Call) -> tuple[set[str], bool]:
    """The guarded keywords of a call, and whether it passes ``**computed`` ones."""
    names = {kw.arg for kw in call.keywords if kw.arg is not None}
    return names & GUARDED_FIELDS, any(kw.arg is None for kw in call.keywords)


def writes_in(source: str, filename: str = "<snippet>") -> list[str]:
    """Every write of a guarded lead field in ``source``, as "line: what"."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for element in ast.walk(target):
                    if (
                        isinstance(element, ast.Attribute)
                        and element.attr in GUARDED_FIELDS
                        and isinstance(element.ctx, ast.Store)
                    ):
                        found.append(f"{node.lineno}: sets .{element.attr}")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Lead":
            guarded, _computed = _keywords_written(node)
            if guarded:
                found.append(f"{node.lineno}: Lead({', '.join(sorted(guarded))}=…)")
            continue
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and name.value in GUARDED_FIELDS:
                found.append(f"{node.lineno}: setattr(…, {name.value!r}, …)")
            continue
        if not isinstance(func, ast.Attribute) or not _on_leads(func.value):
            continue
        if func.attr in CREATING | UPDATING:
            guarded, computed = _keywords_written(node)
            if guarded:
                found.append(f"{node.lineno}: .{func.attr}({', '.join(sorted(guarded))}=…)")
            elif computed and func.attr in UPDATING:
                found.append(f"{node.lineno}: .{func.attr}(**…) may write any field")
        elif func.attr == "bulk_update" and len(node.args) >= 2:
            fields = _strings(node.args[1])
            if fields is None:
                found.append(f"{node.lineno}: .bulk_update with computed fields")
            elif fields & GUARDED_FIELDS:
                found.append(f"{node.lineno}: .bulk_update({sorted(fields & GUARDED_FIELDS)})")
        elif func.attr == "save":
            for keyword in node.keywords:
                fields = _strings(keyword.value) if keyword.arg == "update_fields" else None
                if fields and fields & GUARDED_FIELDS:
                    found.append(f"{node.lineno}: .save(update_fields=…{sorted(fields)})")
    return found


def _modules() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py") if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)
    )


def _is_core_or_allowed(relative: str) -> bool:
    return relative in WRITE_MODULES or any(
        relative == allowed or (allowed.endswith("/") and relative.startswith(allowed))
        for allowed in ALLOWED
    )


def test_only_the_core_write_modules_write_a_leads_stage_owner_campaign_or_source() -> None:
    offences = []
    for path in _modules():
        relative = path.relative_to(ROOT).as_posix()
        if _is_core_or_allowed(relative):
            continue
        offences += [f"{relative}:{write}" for write in writes_in(path.read_text(), relative)]

    assert not offences, (
        "Write these fields through leads.records or leads.lifecycle "
        "(they keep the report rollups true):\n" + "\n".join(offences)
    )


def test_the_designated_modules_exist() -> None:
    for relative in [*WRITE_MODULES, *(a for a in ALLOWED if not a.endswith("/"))]:
        assert (ROOT / relative).is_file(), relative


def test_only_the_core_write_modules_re_key_the_rollups() -> None:
    """Re-keying is a property of the write functions, not a duty of their callers."""
    callers = []
    for path in _modules():
        relative = path.relative_to(ROOT).as_posix()
        if relative in WRITE_MODULES or relative.startswith("tests/"):
            continue
        tree = ast.parse(path.read_text(), relative)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "rekeyed":
                callers.append(f"{relative}:{node.lineno}")

    assert not callers, callers


@pytest.mark.parametrize(
    "snippet",
    [
        "lead.owner = rep\nlead.save()",
        "lead.owner_id = 3",
        "x.stage = 'mql'",
        "lead.campaign_id, lead.source = 1, 'web'",
        "Lead.objects.filter(pk=1).update(owner=rep)",
        "Lead.objects.filter(pk=1).update(**changes)",
        "leads.update(campaign=None)",
        "Lead.objects.bulk_update(leads, ['owner'])",
        "Lead.objects.bulk_update(leads, [*fields, 'updated_at'])",
        "Lead.objects.create(email='a@b.c', source='web')",
        "Lead(email='a@b.c', owner=rep)",
        "setattr(lead, 'stage', 'sal')",
        "lead.save(update_fields=['source'])",
    ],
)
def test_the_check_catches_a_write_of_a_guarded_field(snippet: str) -> None:
    assert writes_in(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "lead.first_name = 'Ana'\nlead.save()",
        "Lead.objects.filter(pk=1).update(fit=10, intent=3)",
        "Lead.objects.bulk_update(leads, ['likelihood'])",
        "Event.objects.filter(pk=1).update(source='web')",
        "records.assign_owner(lead.pk, owner=rep)",
        "owner = lead.owner",
    ],
)
def test_the_check_lets_other_writes_and_reads_through(snippet: str) -> None:
    assert writes_in(snippet) == []
