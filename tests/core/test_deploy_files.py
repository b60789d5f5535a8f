"""docker-compose.yml cannot be run here (no Docker engine): read it, and check that it agrees
with the Dockerfile, the Makefile, the VCL and the settings it sets."""

import re
import shlex

import yaml

from django.core.management import get_commands

from tests.servers import ROOT


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_sources():
    return "".join(path.read_text() for path in (ROOT / "config" / "settings").glob("*.py"))


def test_compose_runs_web_worker_and_their_services():
    services = compose()["services"]
    assert {"web", "worker", "db", "redis", "varnish"} <= set(services)
    # One image for web and worker, as the Dockerfile says.
    assert services["web"]["build"] == services["worker"]["build"] == "."
    assert "command" not in services["web"]  # the Dockerfile's CMD: gunicorn
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^CMD \[.*exec gunicorn -c config/gunicorn.py", dockerfile, re.M)
    assert "EXPOSE 8000" in dockerfile
    assert "8000:8000" in services["web"]["ports"]


def test_the_worker_is_the_command_make_run_starts():
    worker = compose()["services"]["worker"]["command"]
    assert worker[:2] == ["python", "manage.py"]
    assert worker[2] in get_commands()
    assert f"python manage.py {worker[2]}" in (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(MANAGE) run_site" in run
    launcher = (ROOT / "core" / "management" / "commands" / "run_site.py").read_text()
    assert f'[*manage, "{worker[2]}"]' in launcher


def test_varnish_uses_the_sites_vcl_and_the_purge_address_the_site_is_given():
    services = compose()["services"]
    varnish = services["varnish"]
    mount = next(volume for volume in varnish["volumes"] if volume.startswith("./deploy/"))
    source, target = mount.split(":")[:2]
    assert (ROOT / source).is_file()
    command = varnish["command"]
    assert command[command.index("-f") + 1] == target
    listen = command[command.index("-a") + 1]
    purge_url = services["web"]["environment"]["FRONTEND_CACHE_PURGE_URL"]
    assert purge_url.endswith(listen)  # ":6081"
    # The VCL's backend and purge ACL are localhost: Varnish and the worker (which purges)
    # share web's network.
    vcl = (ROOT / source).read_text()
    assert '.host = "127.0.0.1";' in vcl and '.port = "8000";' in vcl
    assert varnish["network_mode"] == services["worker"]["network_mode"] == "service:web"


def test_every_variable_it_sets_is_one_the_settings_read():
    sources = settings_sources()
    environment = compose()["services"]["web"]["environment"]
    for name in environment:
        assert f'"{name}"' in sources, name
    assert environment["TASKS_BACKEND"] == "database"
    database = environment["DATABASE_URL"]
    db = compose()["services"]["db"]["environment"]
    assert (
        f"{db['POSTGRES_USER']}:{db['POSTGRES_PASSWORD']}@db:5432/{db['POSTGRES_DB']}" in database
    )
    assert shlex.split("migrate --noinput") == compose()["services"]["migrate"]["command"][2:]


def test_varnish_takes_purges_with_the_secret_the_site_sends():
    services = compose()["services"]
    site_secret = services["web"]["environment"]["FRONTEND_CACHE_PURGE_SECRET"]
    assert services["varnish"]["environment"]["VARNISH_PURGE_SECRET"] == site_secret
    assert site_secret.startswith("${") and ":?" in site_secret  # required, never a default
    assert 'std.getenv("VARNISH_PURGE_SECRET")' in (ROOT / "deploy" / "varnish.vcl").read_text()


def test_redis_runs_with_the_bounded_configuration():
    redis = compose()["services"]["redis"]
    mount = next(volume for volume in redis["volumes"] if volume.startswith("./deploy/"))
    source, target = mount.split(":")[:2]
    assert source == "./deploy/redis.conf"
    assert redis["command"][:2] == ["redis-server", target]
    assert "maxmemory-policy allkeys-lru" in (ROOT / source).read_text()
