"""Alerts carry what a visitor typed (a lead's name through a public form) safely: no
header injection, no HTML escapes in plain text, no chat mentions or links of its own."""

import pytest
from django.core import mail

from handoff.channels import webhook_body
from handoff.handoffs import send_to_sales
from handoff.models import Delivery, WebhookEndpoint
from handoff.notify import deliver
from leads.stages import Stage
from tests.factories import lead_in

pytestmark = pytest.mark.django_db


def alert_for(first_name: str, marketer, channel: str) -> Delivery:  # type: ignore[no-untyped-def]
    handoff = send_to_sales(lead_in(Stage.MQL, first_name=first_name, last_name="X"),
                            actor=marketer)  # fmt: skip
    return Delivery.objects.get(handoff=handoff, channel=channel)


def test_a_name_with_a_line_break_injects_no_header_and_the_email_is_sent(
    sales_floor, marketer
) -> None:
    email = alert_for("Ana\nBcc: x@evil.example", marketer, Delivery.Channel.EMAIL)

    assert deliver(email.pk) is True

    (sent,) = mail.outbox
    assert "\n" not in sent.subject
    assert "Bcc" not in sent.extra_headers
    assert sent.bcc == []
    assert sent.recipients() == [email.user.email]


def test_the_plain_text_email_and_its_subject_are_not_html_escaped(sales_floor, marketer) -> None:
    email = alert_for("O'Brien <Ana>", marketer, Delivery.Channel.EMAIL)

    deliver(email.pk)

    (sent,) = mail.outbox
    assert "O'Brien <Ana>" in sent.subject
    assert "O'Brien <Ana>" in sent.body
    assert "&lt;" not in sent.body
    assert "&#x27;" not in sent.body
    html = sent.alternatives[0][0]
    assert "O&#x27;Brien &lt;Ana&gt;" in html  # the HTML part is escaped, as it must be


def test_the_webhook_chat_text_cannot_mention_everyone_or_make_links(sales_floor, marketer) -> None:
    handoff = send_to_sales(
        lead_in(Stage.MQL, first_name="<!channel>", last_name="<https://evil.example|x>"),
        actor=marketer,
    )
    endpoint = WebhookEndpoint.objects.create(name="chat", url="https://hooks.example.com/x",
                                              secret="s")  # fmt: skip
    webhook = Delivery(handoff=handoff, channel=Delivery.Channel.WEBHOOK, endpoint=endpoint,
                       kind="handoff", user=handoff.rep)  # fmt: skip

    text = webhook_body(webhook)["text"]

    assert "<!channel>" not in text
    assert "<https://" not in text
    assert "&lt;!channel&gt;" in text
