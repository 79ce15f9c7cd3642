"""A worker killed (SIGKILL) in the middle of sending an alert: once its claim's lease
runs out the relay sends the alert, with the same delivery id, so the receiver can tell a
repeat from a new alert. A real Celery worker process on Redis, a real webhook receiver."""

import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from handoff import notify
from handoff.channels import DELIVERY_HEADER
from handoff.handoffs import send_to_sales
from handoff.models import Delivery, WebhookEndpoint
from handoff.tasks import deliver_alert
from leadflow.celery import app as celery_app
from leads.stages import Stage
from tests.conftest import test_database_url
from tests.factories import lead_in
from tests.faults.services import ROOT
from tests.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.needs_redis, pytest.mark.needs_postgres]  # fmt: skip


class Receiver(ThreadingHTTPServer):
    """Hangs on the first webhook (the worker is killed while it waits), answers later."""

    def __init__(self) -> None:
        self.delivery_ids: list[str] = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        super().__init__(("127.0.0.1", 0), Hook)


class Hook(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.delivery_ids.append(self.headers[DELIVERY_HEADER])
        if len(self.server.delivery_ids) == 1:
            self.server.first_arrived.set()
            self.server.release.wait(30)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_an_alert_held_by_a_killed_worker_is_sent_after_its_lease_with_the_same_id(
    sales_floor, marketer, settings
) -> None:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the receiver is on this machine
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    WebhookEndpoint.objects.create(name="crm", url=f"http://127.0.0.1:{receiver.server_port}/",
                                   secret="s3cret")  # fmt: skip
    queue = celery_app.conf.task_default_queue
    celery_app.control.purge()
    env = {**os.environ, "DATABASE_URL": test_database_url(), "ALERT_LEASE_SECONDS": "2",
           "CELERY_QUEUE": queue, "DJANGO_SETTINGS_MODULE": "leadflow.settings",
           "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "leadflow", "worker", "-P", "solo", "-Q", queue,
         "--loglevel", "WARNING"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        handoff = send_to_sales(lead_in(Stage.MQL, first_name="Killed"), actor=marketer)
        # Sent again on a fresh connection to this machine's Redis, in case an earlier test
        # in this process left the publisher pointing elsewhere (a second message is
        # harmless: only one claim wins).
        webhook = Delivery.objects.get(handoff=handoff, channel=Delivery.Channel.WEBHOOK)
        with celery_app.connection_for_write(os.environ["REDIS_URL"]) as conn:
            deliver_alert.apply_async(args=[webhook.pk], queue=queue, connection=conn)
        arrived = receiver.first_arrived.wait(90)
        states = list(Delivery.objects.values_list("channel", "status", "attempts", "last_error"))
        assert arrived, f"the worker never started sending: {states}"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert delivery.status == Delivery.Status.SENDING  # claimed by the dead worker
    receiver.release.set()

    settings.ALERT_LEASE_SECONDS = 2
    wait_until(lambda: Delivery.objects.get(pk=delivery.pk).claimed_until < timezone.now(),
               timeout=10)  # fmt: skip
    assert notify.relay_due() >= 1

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert receiver.delivery_ids == [str(delivery.delivery_id)] * 2  # the same id, twice
    receiver.shutdown()
