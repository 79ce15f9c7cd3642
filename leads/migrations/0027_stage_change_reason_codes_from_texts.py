"""Existing stage changes: give the texts the system wrote their code and parameters.

Before codes existed, system texts were stored as rendered, in the writer's language
(English, or Spanish when a Spanish user's action wrote them). The known ones are
recognised here, in both languages, so they too are read in each reader's language; any
other reason (a person's words, or a text not recognised) keeps no code and shows as
stored. The patterns are frozen here: later changes to the catalogue do not change what
this migration did.
"""

import re
from typing import Any

from django.db import migrations

# Shipped reject reasons (handoff.defaults), Spanish → the English label stored as data.
REJECT_LABELS_ES = {
    "No encaja": "Not a fit",
    "Sin presupuesto": "No budget",
    "No es el momento": "Bad timing",
    "Sin capacidad de decisión": "No authority",
    "Duplicado": "Duplicate",
    "Datos de contacto erróneos": "Bad contact data",
    "Otro": "Other",
}

EXACT = {
    "Created": "lead.created",
    "Creado": "lead.created",
    "Imported": "lead.imported",
    "Importado": "lead.imported",
    "First seen in a behaviour event": "scoring.first_event",
    "Visto por primera vez en un evento de comportamiento": "scoring.first_event",
}

# The demo's and benchmark's texts (always written in English): read through the catalogue.
SHIPPED = [
    "Demo data",
    "Synthetic benchmark data",
    "Imported with the demo data",
    "Fit and intent crossed the MQL thresholds",
    "Accepted by the rep",
    "Qualifying answers meet the criteria",
    "Closed won",
    "Bad timing: budget frozen until next quarter",
    "Not a fit: too small",
    "No authority: intern collecting information",
    "Duplicate of an open deal",
    "Student",
    "Competitor",
    "Spam",
    "Bad data: invalid phone and email",
    "Lost to a competitor on price",
    "No decision: project cancelled",
]

NUMBER = r"-?\d+(?:\.\d+)?"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("scoring.form_submitted", re.compile(r"^Submitted the form “(?P<form>.*)”$", re.S)),
    ("scoring.form_submitted", re.compile(r"^Envió el formulario «(?P<form>.*)»$", re.S)),
    (
        "scoring.crossed_thresholds",
        re.compile(
            rf"^Crossed the MQL thresholds \(fit ≥ (?P<mql_fit>{NUMBER}), "
            rf"intent ≥ (?P<mql_intent>{NUMBER})\)$"
        ),
    ),
    (
        "scoring.promoted",
        re.compile(
            rf"^Fit (?P<fit>{NUMBER}) ≥ (?P<mql_fit>{NUMBER}) and intent (?P<intent>{NUMBER}) "
            rf"≥ (?P<mql_intent>{NUMBER}) \(scoring model v(?P<version>\d+)\)"
            r"(?:: (?P<rules>.+))?$",
            re.S,
        ),
    ),
    ("handoff.rejected", re.compile(r"^(?:Rejected by sales|Rechazado por ventas): (?P<rest>.+)$", re.S)),
    ("handoff.closed_lost", re.compile(r"^Closed lost: (?P<reason>.*)$", re.S)),
]
PREFIXES = ["Submitted the form", "Envió el formulario", "Crossed the MQL", "Fit ",
            "Rejected by sales", "Rechazado por ventas", "Closed lost: "]  # fmt: skip
RULE = re.compile(rf"^(?P<label>.+) (?P<points>[+-]{NUMBER})$")


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _rules(text: str) -> list[list[Any]] | None:
    rules = []
    for part in text.split("; "):
        found = RULE.match(part)
        if found is None:
            return None
        rules.append([found["label"], _number(found["points"])])
    return rules


def recognise(reason: str) -> tuple[str, dict[str, Any]] | None:
    """The code and parameters of a stored system text, or None for anything else."""
    if reason in EXACT:
        return EXACT[reason], {}
    if reason in SHIPPED:
        return "shipped", {"text": reason}
    for code, pattern in PATTERNS:
        found = pattern.match(reason)
        if found is None:
            continue
        params = {name: value for name, value in found.groupdict().items() if value is not None}
        if code in {"scoring.crossed_thresholds", "scoring.promoted"}:
            for name in ("fit", "intent", "mql_fit", "mql_intent", "version"):
                if name in params:
                    params[name] = _number(params[name])
            if "rules" in params:
                rules = _rules(params["rules"])
                if rules is None:
                    return None
                code, params["rules"] = "scoring.promoted_by", rules
        if code == "handoff.rejected":
            label, _dot, note = params.pop("rest").partition(". ")
            params["reason"] = REJECT_LABELS_ES.get(label, label)
            if note:
                code, params["note"] = "handoff.rejected_with_note", note
        return code, params
    return None


def forwards(apps: Any, schema_editor: Any) -> None:
    StageChange = apps.get_model("leads", "StageChange")
    pending = StageChange.objects.filter(reason_code="")
    for text, code in EXACT.items():
        pending.filter(reason=text).update(reason_code=code, reason_params={})
    for text in SHIPPED:
        pending.filter(reason=text).update(reason_code="shipped", reason_params={"text": text})
    for prefix in PREFIXES:
        batch = []
        rows = pending.filter(reason__startswith=prefix).only("pk", "reason")
        for change in rows.iterator(chunk_size=2000):
            found = recognise(change.reason)
            if found is None:
                continue
            change.reason_code, change.reason_params = found
            batch.append(change)
            if len(batch) >= 2000:
                StageChange.objects.bulk_update(batch, ["reason_code", "reason_params"])
                batch = []
        StageChange.objects.bulk_update(batch, ["reason_code", "reason_params"])


class Migration(migrations.Migration):
    dependencies = [("leads", "0026_stage_change_reason_codes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
