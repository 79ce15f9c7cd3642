from datetime import timedelta
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from leads.lifecycle import StoryStep, load_leads
from leads.models import Campaign, Channel, Company, Lead, Team
from leads.roles import Role, group_for
from leads.stages import Stage

User = get_user_model()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs: Any) -> None:
        if extracted:
            self.groups.add(group_for(extracted))
            if extracted == Role.ADMIN:
                self.is_staff = True
        if create:
            self.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    domain = factory.Sequence(lambda n: f"company{n}.example")
    name = factory.Faker("company")
    industry = "Software"
    employees = 250
    country = "ES"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    channel = Channel.WEBINARS
    utm_campaign = factory.Sequence(lambda n: f"campaign-{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def members(self, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.members.add(*extracted)


class LeadFactory(factory.django.DjangoModelFactory):
    """A lead created through the lifecycle (so it has its first history row)."""

    class Meta:
        model = Lead

    email = factory.Sequence(lambda n: f"lead{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    source = "website"

    @classmethod
    def _create(cls, model_class: type[Lead], *args: Any, **kwargs: Any) -> Lead:
        from leads.lifecycle import create_lead

        return mirror_scores(create_lead(actor=None, **kwargs))


def mirror_scores(lead: Lead) -> Lead:
    """Scores given to a test lead are also on its score row, as scoring writes them: lists
    sort by that row (Lead.keyset_paths). As for synthetic leads: version 0."""
    from demo.scoring import mirror_made_up_scores

    if any(value is not None for value in (lead.fit, lead.intent, lead.likelihood)):
        mirror_made_up_scores([lead.pk])
    return lead


# The shortest path from lead to each stage, for building leads already in a stage.
SHORTEST_PATH = {
    Stage.LEAD: [Stage.LEAD],
    Stage.MQL: [Stage.LEAD, Stage.MQL],
    Stage.SAL: [Stage.LEAD, Stage.MQL, Stage.SAL],
    Stage.SQL: [Stage.LEAD, Stage.MQL, Stage.SAL, Stage.SQL],
    Stage.CUSTOMER: [Stage.LEAD, Stage.MQL, Stage.SAL, Stage.SQL, Stage.CUSTOMER],
    Stage.NURTURE: [Stage.LEAD, Stage.MQL, Stage.NURTURE],
    Stage.DISQUALIFIED: [Stage.LEAD, Stage.DISQUALIFIED],
}


def lead_in(stage: Stage, **fields: Any) -> Lead:
    """A lead whose (loaded) history has brought it to ``stage``."""
    lead = LeadFactory.build(**fields)
    start = timezone.now() - timedelta(days=10)
    story = [
        StoryStep(s, start + timedelta(hours=i), "test setup")
        for i, s in enumerate(SHORTEST_PATH[Stage(stage)])
    ]
    return mirror_scores(load_leads([(lead, story)], reason="test setup")[0])
