"""Demo handoffs: routing rules, pending handoffs with running SLA clocks for every demo
rep, accepted ones with answers and attempts, rejected ones with reasons, survey answers."""

import random
from collections.abc import Sequence
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from handoff import notify
from handoff.aftersale import category_for
from handoff.models import (
    Answer,
    ContactAttempt,
    FollowUp,
    Handoff,
    HandoffSettings,
    QualifyingQuestion,
    RejectReason,
    RepProfile,
    RoutingRule,
)
from leads.models import Lead, StageChange, Team
from leads.records import assign_owner
from leads.roles import Role
from leads.stages import Stage

User = get_user_model()
DEMO_SLA_MINUTES = 240  # long enough that a visitor sees the clocks still running
PASSING = {
    "yes_no": True,
    "number": 12,
    "text": "Leads wait hours for a call back",
    "choice": "This quarter",
}


def seed_demo_handoffs(lead_ids: Sequence[int], *, seed: int = 7) -> None:
    rng = random.Random(seed)
    reps = list(User.objects.filter(groups__name=Role.REP.value).order_by("pk"))
    if not reps:
        return
    _routing(reps)
    leads = Lead.objects.filter(pk__in=lead_ids).select_related("owner").order_by("pk")
    by_stage: dict[str, list[Lead]] = {}
    for lead in leads:
        by_stage.setdefault(lead.stage, []).append(lead)
    now = timezone.now()

    # Every rep has leads waiting for an answer, clocks running.
    waiting = by_stage.get(Stage.MQL, [])
    for index, lead in enumerate(waiting[: 3 * len(reps)]):
        rep = reps[index % len(reps)]
        assign_owner(lead.pk, owner=rep)
        created = now - timedelta(minutes=rng.randint(1, 30))
        handoff = Handoff.objects.create(
            lead=lead,
            rep=rep,
            sla_minutes=DEMO_SLA_MINUTES,
            qualified_at=created,
            created_at=created,
            assigned_at=created,
            remind_at=created + timedelta(minutes=DEMO_SLA_MINUTES / 2),
            due_at=created + timedelta(minutes=DEMO_SLA_MINUTES),
        )
        notify.queue_alerts(handoff, notify.Kind.HANDOFF, users=[rep], email=False)

    questions = list(QualifyingQuestion.objects.filter(active=True))
    for stage in (Stage.SAL, Stage.SQL, Stage.CUSTOMER):
        for lead in by_stage.get(stage, []):
            accepted_at = _entered(lead, Stage.SAL) or now
            rep = lead.owner or rng.choice(reps)
            created = accepted_at - timedelta(minutes=rng.randint(2, 30))
            Handoff.objects.create(
                lead=lead,
                rep=rep,
                status=Handoff.Status.ACCEPTED,
                sla_minutes=5,
                qualified_at=accepted_at - timedelta(minutes=rng.randint(3, 40)),
                created_at=created,
                # The SLA clock ran, so the dashboard's compliance has answers to measure.
                due_at=created + timedelta(minutes=5),
                alerted_at=accepted_at - timedelta(minutes=rng.randint(1, 20)),
                answered_at=accepted_at,
            )
            for day in range(rng.randint(1, 5)):
                ContactAttempt.objects.create(
                    lead=lead,
                    rep=rep,
                    at=accepted_at + timedelta(days=day, hours=2),
                    kind=rng.choice(["call", "email"]),
                    outcome=rng.choice(["no_answer", "voicemail", "connected"]),
                )
            answered = questions if stage != Stage.SAL else questions[: rng.randint(0, 3)]
            Answer.objects.bulk_create(
                Answer(lead=lead, question=q, value=PASSING[q.answer_type], answered_by=rep)
                for q in answered
            )
            if stage == Stage.CUSTOMER and rng.random() < 0.6:
                score = rng.choice([10, 9, 9, 8, 7, 6, 3])
                FollowUp.objects.create(
                    lead=lead, owner=rep, score=score, category=category_for(score), answered_at=now
                )

    reasons = {r.label.lower(): r for r in RejectReason.objects.all()}
    for lead in by_stage.get(Stage.NURTURE, []):
        rejection = StageChange.objects.filter(
            lead=lead, from_stage=Stage.MQL, to_stage=Stage.NURTURE
        ).first()
        if rejection is None:
            continue
        label = rejection.reason.split(":")[0].lower()
        reason = reasons.get(label) or reasons.get("other")
        Handoff.objects.create(
            lead=lead,
            rep=rng.choice(reps),
            status=Handoff.Status.REJECTED,
            sla_minutes=5,
            qualified_at=rejection.at - timedelta(hours=1),
            created_at=rejection.at - timedelta(minutes=50),
            due_at=rejection.at - timedelta(minutes=45),
            alerted_at=rejection.at - timedelta(minutes=49),
            answered_at=rejection.at,
            reject_reason=reason,
            reject_note=rejection.reason,
        )


def _entered(lead: Lead, stage: str):  # type: ignore[no-untyped-def]
    return (
        StageChange.objects.filter(lead=lead, to_stage=stage).values_list("at", flat=True).first()
    )


def _routing(reps: list) -> None:  # type: ignore[type-arg]
    if RoutingRule.objects.exists():
        return
    for team, countries, sla in (
        ("Iberia", ["ES", "MX", "CO", "AR"], 5),
        ("North America", ["US", "GB", "DE", "FR"], 10),
    ):
        members = [rep for rep in reps if Team.objects.filter(name=team, members=rep).exists()]
        rule = RoutingRule.objects.create(
            name=f"{team} by country",
            countries=countries,
            sla_minutes=sla,
            order=10 if team == "Iberia" else 20,
        )
        rule.pool.add(*members)
    HandoffSettings.current().fallback_pool.add(*reps)
    for rep in reps:
        RepProfile.objects.get_or_create(user=rep, defaults={"capacity": 30})
