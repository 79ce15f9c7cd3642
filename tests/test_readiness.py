"""/readyz says whether this process should get traffic: 200 while the database and the
broker answer, 503 while either is down, and 200 again once they are back."""

import http.client
import json

import pytest
from django.db import connection

from tests.conftest import test_database_url
from tests.faults.services import PrivateRedis, app_server, status_of, wait_until
from tests.faults.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.needs_postgres]  # fmt: skip


TOKEN = "readiness-test-token"


def readiness(port: int, token: str = TOKEN) -> tuple[int, dict]:  # type: ignore[type-arg]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/readyz", headers={"Authorization": f"Bearer {token}"} if token else {})
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def test_readyz_follows_the_database_and_the_broker() -> None:
    settings = connection.settings_dict
    db_port = int(settings.get("PORT") or 5432)
    proxy = TcpProxy(settings.get("HOST") or "127.0.0.1", db_port)
    url = test_database_url().replace(f":{db_port}/", f":{proxy.port}/")
    redis = PrivateRedis()
    redis.start()
    try:
        with app_server(url, REDIS_URL=redis.url, METRICS_TOKEN=TOKEN) as port:
            status, body = readiness(port)
            assert (status, body["checks"]) == (200, {"database": "ok", "broker": "ok"})
            assert "beat_age_s" in body["lag"]
            # Anyone else reads the status alone: not which dependency fails, nor the lag.
            assert readiness(port, token="") == (200, {"status": "ok"})

            redis.stop()
            wait_until(lambda: readiness(port)[0] == 503)
            assert readiness(port)[1]["checks"]["broker"].startswith("error")
            assert readiness(port, token="") == (503, {"status": "unavailable"})
            assert status_of(port, "/healthz") == 200  # alive, just not ready

            redis.start()
            wait_until(lambda: readiness(port)[0] == 200)

            proxy.cut()
            wait_until(lambda: readiness(port)[0] == 503)
            assert readiness(port)[1]["checks"]["database"].startswith("error")
            proxy.restore()
            wait_until(lambda: readiness(port)[0] == 200)
    finally:
        redis.stop()
        proxy.stop()


@pytest.mark.django_db
def test_the_admin_index_shows_what_lags(client, admin_user) -> None:
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    # No beat heartbeat in a fresh test database: the admin says so.
    assert "Beat or the workers have not recorded a heartbeat recently." in page
