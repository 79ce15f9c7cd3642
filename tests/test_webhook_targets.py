"""Webhooks reach the public internet only: internal addresses, in any spelling, are
refused when saved (400) and, for names, when sent; redirects are never followed."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from rest_framework.test import APIClient

from handoff import outbound
from handoff.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

REFUSED_WHEN_SAVED = [
    "http://127.0.0.1:6379/",
    "http://localhost/admin/",
    "http://LOCALHOST./",
    "http://app.localhost/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://0.0.0.0:8000/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://10.0.0.5/",
    "http://172.16.3.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "http://100.64.0.1/",
    "ftp://example.com/",
    "file:///etc/passwd",
    "gopher://example.com/",
]


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.mark.parametrize("url", REFUSED_WHEN_SAVED)
def test_an_internal_or_non_http_webhook_is_refused_when_saved(admin_api, url: str) -> None:
    response = admin_api.post("/api/webhooks/", {"name": "x", "url": url, "secret": "s"})

    assert response.status_code == 400, (url, response.content)
    assert "url" in response.json()
    assert not WebhookEndpoint.objects.exists()


def test_a_public_webhook_is_saved(admin_api) -> None:
    response = admin_api.post(
        "/api/webhooks/", {"name": "chat", "url": "https://hooks.example.com/abc", "secret": "s"}
    )
    assert response.status_code == 201


def test_a_name_that_resolves_inside_is_refused_when_sent(monkeypatch) -> None:
    def resolves_to_loopback(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolves_to_loopback)
    with pytest.raises(outbound.Refused, match="internal"):
        outbound.post("http://rebind.example.com/", b"{}", headers={}, timeout=1)


def test_a_name_with_one_internal_address_among_public_ones_is_refused(monkeypatch) -> None:
    def mixed(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    with pytest.raises(outbound.Refused):
        outbound.post("http://mixed.example.com/", b"{}", headers={}, timeout=1)


class Redirecting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_POST(self) -> None:
        Redirecting.hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(307)
        self.send_header("Location", "http://127.0.0.1:6379/")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_redirect_is_never_followed(settings) -> None:
    # A receiver the operator allowed (127.0.0.2 only) answers with a redirect to
    # 127.0.0.1: the redirect is an answer, not a place to go.
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    server = HTTPServer(("127.0.0.2", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status = outbound.post(f"http://127.0.0.2:{server.server_port}/hook", b"{}",
                               headers={"Content-Type": "application/json"}, timeout=5)  # fmt: skip
    finally:
        server.shutdown()
    assert status == 307
    assert Redirecting.hits == ["/hook"]


def test_the_operator_may_allow_a_network_of_their_own(admin_api, settings) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    allowed = admin_api.post(
        "/api/webhooks/", {"name": "in", "url": "http://10.20.1.2/h", "secret": "s"}
    )
    other = admin_api.post(
        "/api/webhooks/", {"name": "x", "url": "http://10.30.1.2/h", "secret": "s"}
    )
    assert (allowed.status_code, other.status_code) == (201, 400)


def test_a_delivery_to_a_refused_address_fails_at_once_without_retries(
    sales_floor, marketer
) -> None:
    from handoff.handoffs import send_to_sales
    from handoff.models import Delivery
    from handoff.notify import deliver
    from leads.stages import Stage
    from tests.factories import lead_in

    # Saved before addresses were checked (an old row): refused when sent, not retried.
    WebhookEndpoint.objects.create(name="old", url="http://127.0.0.1:6379/", secret="s")
    handoff = send_to_sales(lead_in(Stage.MQL), actor=marketer)
    webhook = Delivery.objects.get(handoff=handoff, channel=Delivery.Channel.WEBHOOK)

    assert deliver(webhook.pk) is False

    webhook.refresh_from_db()
    assert webhook.status == Delivery.Status.FAILED
    assert webhook.attempts == 1
    assert "internal" in webhook.last_error or "private" in webhook.last_error


@pytest.mark.parametrize("host", ["a\\u0000b.example", "a\\udcffb.example"])
def test_a_host_with_a_nul_or_half_a_surrogate_is_a_400(admin_api, host: str) -> None:
    body = f'{{"name": "x", "secret": "s", "url": "http://{host}/"}}'  # JSON escapes
    response = admin_api.post("/api/webhooks/", body, content_type="application/json")
    assert response.status_code == 400
