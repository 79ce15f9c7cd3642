"""After the sale: a follow-up task for the owner and a 0–10 survey for the customer."""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from handoff import alert_texts
from handoff.models import FollowUp, HandoffSettings, Notification
from leads.models import Lead
from leads.stages import Stage
from leads.user_preferences import language_of
from plumbing.errors import Conflict


def category_for(score: int) -> str:
    if score >= 9:
        return FollowUp.Category.PROMOTER
    if score >= 7:
        return FollowUp.Category.PASSIVE
    return FollowUp.Category.DETRACTOR


def create_follow_ups() -> int:
    """Beat, hourly: customers won N days ago get their follow-up and survey."""
    from django.conf import settings

    days = HandoffSettings.current().followup_days
    cutoff = timezone.now() - timedelta(days=days)
    due = Lead.objects.filter(
        stage=Stage.CUSTOMER, stage_changed_at__lte=cutoff, follow_up__isnull=True
    )[:500]
    created = 0
    for lead in due:
        with transaction.atomic():
            # One follow-up per lead (one-to-one): an overlapping or repeated run skips the lead.
            follow_up, made = FollowUp.objects.get_or_create(
                lead=lead, defaults={"owner": lead.owner}
            )
            if not made:
                continue
            if lead.owner:
                params = {"who": lead.full_name or lead.email, "days": days}
                with translation.override(language_of(lead.owner)):
                    title, body = alert_texts.render(Notification.Kind.FOLLOW_UP, params)
                Notification.objects.create(
                    user=lead.owner,
                    kind=Notification.Kind.FOLLOW_UP,
                    lead=lead,
                    params=params,
                    title=title,
                    body=body,
                )
        # After the commit: no mail server is waited on while the row is locked.
        link = settings.SITE_URL.rstrip("/") + reverse("survey", args=[follow_up.token])
        send_mail(
            _("How likely are you to recommend us?"),
            _("From 0 to 10, how likely are you to recommend us to a colleague? %s") % link,
            None,
            [lead.email],
            # A refused address must not stop the other customers' surveys; no retry either:
            # the survey is a courtesy, and its row says it was offered.
            fail_silently=True,
        )
        created += 1
    return created


def answer_survey(token: str, score: int) -> FollowUp:
    """Record the customer's answer. The first answer counts: a conditional update, so a
    second post (or two at once) cannot overwrite it (Conflict)."""
    answered = FollowUp.objects.filter(token=token, answered_at__isnull=True).update(
        score=score, category=category_for(score), answered_at=timezone.now()
    )
    if not answered:
        raise Conflict(_("This survey has already been answered."))
    return FollowUp.objects.get(token=token)
