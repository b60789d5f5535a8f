"""What operators rely on: /health/, a fast 503 while the database is away and recovery when
it returns, the request id in the logs, and the import's report in the log."""

import json
import re
from io import StringIO

import pytest

from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from tests.factories import GlossaryTermPageFactory
from tests.servers import SwitchableTcpProxy, free_port, get, gunicorn, server_env

FIXTURES_SEED = "fixtures"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["glossary.example.com"])
def test_health_answers_a_load_balancer_by_address_over_plain_http():
    response = Client().get("/health/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200  # no HTTPS redirect, no 400 for an unknown host
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_keeps_a_proxys():
    client = Client()
    first, second = client.get("/robots.txt"), client.get("/robots.txt")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    kept = client.get("/robots.txt", HTTP_X_REQUEST_ID="varnish-1234.5")
    assert kept["X-Request-ID"] == "varnish-1234.5"
    replaced = client.get("/robots.txt", HTTP_X_REQUEST_ID="<script>\n")
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a database server to lose: PostgreSQL (CI runs the suite on it too)")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_lost_fails_fast_with_a_503_and_recovers_by_itself(tmp_path):
    postgres_only()
    term = GlossaryTermPageFactory(title="Kanban", slug="kanban")
    uncached = GlossaryTermPageFactory(title="Scrum", slug="scrum")
    settings = connection.settings_dict
    with SwitchableTcpProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)) as db:
        url = f"postgres://{settings['USER']}@127.0.0.1:{db.port}/{settings['NAME']}"
        # Kept connections, as production keeps them: the restart must be noticed, not just
        # a new connection opened for every request.
        env = server_env({"CACHE_DIR": str(tmp_path / "cache")}, CONN_MAX_AGE="60")
        env["DATABASE_URL"] = url
        with gunicorn(env, workers=2) as base:
            assert get(base + "/health/")[0] == 200
            assert get(base + term.url + "?one")[0] == 200

            db.cut()
            # Not in the page cache (a parameter no view reads would not do: it is ignored).
            for path in (uncached.url, "/glossary/?page=2", "/search/?q=two"):
                status, headers, text = get(base + path)
                assert status == 503, path
                assert headers["Retry-After"] == "30"
                assert "cannot reach its database" in text
            status, _, text = get(base + "/health/")
            assert status == 503
            assert json.loads(text) == {
                "status": "unavailable",
                "database": "unavailable",
                "cache": "ok",
            }
            # A page already in the page cache is still served.
            assert get(base + term.url + "?one")[0] == 200

            db.restore()
            assert {get(base + f"/search/?q=three{n}")[0] for n in range(6)} == {200}
            assert get(base + "/health/")[0] == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cache_lost_is_named_by_health(tmp_path):
    env = server_env({"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    with gunicorn(env, workers=1, healthy=False) as base:
        status, _, text = get(base + "/health/")
    assert status == 503
    assert json.loads(text)["cache"] == "unavailable"
    assert json.loads(text)["database"] == "ok"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_production_logs_are_json_lines_with_the_request_id(tmp_path):
    log = tmp_path / "gunicorn.log"
    env = server_env({"CACHE_DIR": str(tmp_path / "cache")}, LOG_FORMAT="json", LOG_LEVEL="INFO")
    with gunicorn(env, workers=1, log=log) as base:
        status, headers, _ = get(base + "/no-such-page/", {"X-Request-ID": "lb-42"})
    assert (status, headers["X-Request-ID"]) == (404, "lb-42")
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    not_found = [line for line in lines if line.get("request_id") == "lb-42"]
    assert not_found, log.read_text()
    assert not_found[0]["level"] == "WARNING"
    assert not_found[0]["logger"] == "django.request"
    assert "/no-such-page/" in not_found[0]["message"]


@pytest.mark.django_db
def test_the_import_writes_its_report_to_the_log(caplog, settings):
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    settings.FIXTURES_DIR = fixtures
    with caplog.at_level("INFO", logger="importer"):
        call_command("import_fixtures", str(fixtures), stdout=StringIO())
    summary = [record for record in caplog.records if record.getMessage().startswith("import done")]
    assert len(summary) == 1
    assert summary[0].counts["created"] == 2
    assert summary[0].imported_by == "command"
    assert "2 created" in summary[0].getMessage()
