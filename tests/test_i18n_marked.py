"""Every user-facing text is marked for translation: templates have no bare words outside
{% translate %} / {% blocktranslate %}, and Python hands no bare string to the places users
read (messages, validation errors, domain errors, field labels)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = (
    sorted((ROOT / "templates").rglob("*.html"))
    + sorted((ROOT / "templates").rglob("*.txt"))
    + sorted(
        p
        for app in ("leads", "scoring", "handoff", "leadflow")
        for p in (ROOT / app).rglob("*.html")
    )
)
PYTHON = sorted(
    p for app in ("leads", "scoring", "handoff", "leadflow") for p in (ROOT / app).rglob("*.py")
    if "migrations" not in p.parts
)  # fmt: skip

# Words that are the same in every language: the product, the field's acronyms, codes.
SAME_EVERYWHERE = {
    "Leadflow", "MQL", "MQLs", "SAL", "SALs", "SQL", "SQLs", "CSV", "API", "UTM", "ROC", "AUC",
    "SLA", "URL", "JSON", "ES", "utm_campaign", "https", "www", "example", "com", "body",
}  # fmt: skip
WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ_'’]+")
UNTRANSLATED_BLOCKS = re.compile(
    r"{%\s*(comment|blocktranslate|blocktrans|verbatim)\b.*?{%\s*end\1\s*%}"
    r"|{%\s*block main_class\s*%}.*?{%\s*endblock\s*%}",  # a CSS class, not text
    re.S,
)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
ATTRIBUTE = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')


def bare_words(source: str) -> list[str]:
    """Words a user would see that no translation tag covers."""
    source = UNTRANSLATED_BLOCKS.sub(" ", source)
    source = TEMPLATE_CODE.sub("§", source)  # whatever a tag prints is translated there
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    attributes = " ".join(ATTRIBUTE.findall(source))
    visible = re.sub(r"<[^>]*>", " ", source)
    return [w for w in WORD.findall(visible + " " + attributes) if w not in SAME_EVERYWHERE]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_mark_every_word_for_translation(path: Path) -> None:
    assert bare_words(path.read_text()) == []


def test_the_scanner_finds_bare_words() -> None:
    assert bare_words("<p>Hello {{ name }}</p>") == ["Hello"]
    assert bare_words('<input placeholder="Search">') == ["Search"]
    assert (
        bare_words(
            "{% translate 'Hi' %} <b>{% blocktranslate %}Dear {{ x }}{% endblocktranslate %}</b>"
        )
        == []
    )


# Calls whose text argument a user reads: the position of that argument (or keyword).
USER_TEXT_CALLS = {
    "success": 1, "info": 1, "warning": 1, "error": 1,  # django.contrib.messages
    "ValidationError": 0, "InvalidInput": 0, "Conflict": 0, "NotPermitted": 0,
    "StageConflict": 0, "IllegalTransition": 0, "PermissionDenied": 0, "Http404": 0,
}  # fmt: skip
LABEL_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label"}


def _texts(node: ast.expr) -> list[str]:
    """The literal text in an argument: a wrapped call (_("…")) counts as marked; dict
    keys are field names, not text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if WORD.search(node.value) else []
    if isinstance(node, ast.Dict):
        return [t for value in node.values for t in _texts(value)]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [t for element in node.elts for t in _texts(element)]
    if isinstance(node, ast.BinOp):
        return _texts(node.left) + _texts(node.right)
    if isinstance(node, ast.JoinedStr):
        return [t for part in node.values for t in _texts(part)]
    return []


def bare_strings(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        arguments: list[ast.expr] = []
        if name in USER_TEXT_CALLS and len(node.args) > USER_TEXT_CALLS[name]:
            arguments.append(node.args[USER_TEXT_CALLS[name]])
        arguments += [k.value for k in node.keywords if k.arg in LABEL_KEYWORDS]
        for argument in arguments:
            found += _texts(argument)
    return found


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_hands_users_only_marked_strings(path: Path) -> None:
    assert bare_strings(ast.parse(path.read_text())) == []


def test_the_python_scanner_finds_bare_strings() -> None:
    tree = ast.parse(
        'messages.success(request, "Saved")\nraise InvalidInput({"a": ["Bad"]})\n'
        'x = models.CharField(verbose_name="Name")\nmessages.info(request, _("ok"))'
    )
    assert bare_strings(tree) == ["Saved", "Bad", "Name"]
