"""How each kind of alert reaches people: in-app, email, and signed webhooks."""

import hashlib
import hmac
import json
from typing import Any, TypedDict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from handoff import alert_texts, outbound
from handoff.models import Delivery, Handoff, Notification
from leads.models import Lead
from leads.user_preferences import language_of, zone_of

SIGNATURE_HEADER = "X-Leadflow-Signature"
DELIVERY_HEADER = "X-Leadflow-Delivery"
WEBHOOK_TIMEOUT_S = 5


class WebhookBody(TypedDict):
    delivery_id: str
    event: str
    text: str  # what a chat incoming-webhook shows
    lead: dict[str, Any]
    handoff: dict[str, Any]
    score: dict[str, Any]
    link: str


def lead_link(lead: Lead) -> str:
    """An absolute link for alerts: it checks, when clicked, whether the reader may still
    open the lead, and says where it went when not (never a dead link)."""
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{reverse('alert-lead', args=[lead.pk])}"


def words_for(delivery: Delivery) -> tuple[alert_texts.AlertParams, alert_texts.AlertText]:
    """The alert's parameters (stored) and its title and body in the active language
    (``send`` activates the recipient's) and their time zone — built once per send."""
    params = alert_texts.params_for(delivery.kind, delivery.handoff)
    zone = zone_of(delivery.user) if delivery.user_id else None
    return params, alert_texts.render(delivery.kind, params, zone=zone)


def send(delivery: Delivery) -> None:
    with translation.override(language_of(delivery.user)):
        {
            Delivery.Channel.IN_APP: send_in_app,
            Delivery.Channel.EMAIL: send_email,
            Delivery.Channel.WEBHOOK: send_webhook,
        }[delivery.channel](delivery)


def send_in_app(delivery: Delivery) -> None:
    handoff = delivery.handoff
    params, words = words_for(delivery)
    try:
        with transaction.atomic():
            Notification.objects.create(
                user=delivery.user,
                kind=delivery.kind,
                handoff=handoff,
                lead=handoff.lead if handoff else None,
                params=params,
                title=words.title,
                body=words.body,
                url=reverse("alert-lead", args=[handoff.lead_id]) if handoff else "",
            )
    except IntegrityError:
        pass  # already delivered by an earlier attempt: exactly one notification


def one_line(text: str) -> str:
    """A header value on one line: a lead named "Ana\nBcc: x@evil.example" (a public form
    allows it) must neither inject a header nor make the email fail for ever."""
    return " ".join(text.split())


def chat_text(text: str) -> str:
    """Text for chat incoming webhooks (Slack's format, which others follow): &, < and >
    escaped, so a lead's name cannot @channel everyone or make a link of its own."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def send_email(delivery: Delivery) -> None:
    _params, words = words_for(delivery)
    context = {
        "title": words.title,
        "body": words.body,
        "link": lead_link(delivery.handoff.lead) if delivery.handoff else "",
        "user": delivery.user,
    }
    message = EmailMultiAlternatives(
        subject=one_line(render_to_string("handoff/email/alert_subject.txt", context)),
        body=render_to_string("handoff/email/alert.txt", context),
        to=[delivery.user.email],
        headers={"Message-ID": f"<{delivery.delivery_id}@leadflow>"},
    )
    message.attach_alternative(render_to_string("handoff/email/alert.html", context), "text/html")
    message.send()


def webhook_body(delivery: Delivery) -> WebhookBody:
    from scoring.explain import explain

    handoff: Handoff = delivery.handoff
    lead = handoff.lead
    _params, words = words_for(delivery)
    score = explain(lead)
    return WebhookBody(
        delivery_id=str(delivery.delivery_id),
        event=f"handoff.{delivery.kind}",
        text=chat_text(f"{words.title} — {words.body}"),
        lead={
            "id": lead.pk,
            "email": lead.email,
            "name": lead.full_name,
            "title": lead.title,
            "company": lead.company.name if lead.company else None,
            "stage": lead.stage,
        },
        handoff={
            "id": handoff.pk,
            "rep": getattr(handoff.rep, "username", None),
            "due_at": handoff.due_at.isoformat() if handoff.due_at else None,
        },
        score={
            "fit": score["fit"],
            "intent": score["intent"],
            "grade": score["grade"],
            "contributions": score["contributions"],
        },
        link=lead_link(lead),
    )


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(delivery: Delivery) -> None:
    body = json.dumps(webhook_body(delivery), default=str).encode()
    status = outbound.post(
        delivery.endpoint.url,
        body,
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(delivery.endpoint.secret, body),
            DELIVERY_HEADER: str(delivery.delivery_id),
        },
        timeout=WEBHOOK_TIMEOUT_S,
    )
    if status >= 300:  # a redirect too: it is never followed
        raise RuntimeError(f"webhook answered {status}")
