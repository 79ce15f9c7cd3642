"""Who changed a scoring model, a routing rule, a role — with before and after."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from handoff.models import RoutingRule
from leads.roles import Role, group_for
from scoring.models import ScoringModel
from scoring.versions import copy_to_draft, edit_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def entries_for(instance) -> list[LogEntry]:  # type: ignore[no-untyped-def]
    return list(LogEntry.objects.get_for_object(instance).order_by("timestamp", "pk"))


def test_a_routing_rule_change_through_the_api_records_who_and_what(admin_user) -> None:
    rule = RoutingRule.objects.create(name="Spain", sla_minutes=10)
    api = APIClient()
    api.force_authenticate(admin_user)

    api.patch(f"/api/routing-rules/{rule.pk}/", {"sla_minutes": 5}, format="json")

    change = entries_for(rule)[-1]
    assert change.actor == admin_user
    assert change.changes_dict["sla_minutes"] == ["10", "5"]


def test_editing_a_drafts_rules_records_them_before_and_after(active_model, admin_user) -> None:
    draft = copy_to_draft(active_model, actor=admin_user)
    rules = list(draft.fit_rules.values("attribute", "operator", "value", "points", "label"))
    rules[0]["points"] += 5

    edit_draft(draft, actor=admin_user, settings={"mql_fit": 70}, fit_rules=rules,
               intent_rules=None)  # fmt: skip

    logged = [e for e in entries_for(draft)
              if e.action == LogEntry.Action.UPDATE and "fit_rules" in e.changes_dict]  # fmt: skip
    assert len(logged) == 1
    before, after = logged[0].changes_dict["fit_rules"]
    assert after[0]["points"] == before[0]["points"] + 5
    assert logged[0].actor == admin_user
    updates = [e for e in entries_for(draft) if e.action == LogEntry.Action.UPDATE]
    settings_change = [e for e in updates if "mql_fit" in e.changes_dict]
    assert settings_change[0].changes_dict["mql_fit"][1] == "70"
    assert ScoringModel.objects.get(pk=draft.pk).mql_fit == 70


def test_giving_someone_a_role_is_recorded(admin_user, client) -> None:
    person = UserFactory(username="newbie")
    client.force_login(admin_user)
    with_actor = Group.objects.get(name=group_for(Role.MARKETER))

    from auditlog.context import set_actor

    with set_actor(admin_user):
        person.groups.add(with_actor)

    (entry,) = [e for e in entries_for(person) if "groups" in e.changes_dict]
    assert entry.actor == admin_user
    assert entry.changes_dict["groups"]["objects"] == [str(with_actor)]
    assert entry.changes_dict["groups"]["operation"] == "add"
