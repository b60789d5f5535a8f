"""The production headers scored by Mozilla's own HTTP Observatory scanner (npm
``@mdn/mdn-http-observatory``) against the production stack on this machine: gunicorn with
production settings behind nginx terminating TLS (``deploy/nginx.conf``) on ports 80 and 443,
with a certificate for ``localhost`` from a throwaway certificate authority."""

import json
import os
import shutil
import socket
import subprocess
import time

import pytest

from tests.checks.conftest import ROOT, need
from tests.servers import database_url, free_port, redis_cache, wait_for

SCANNER = ROOT / "node_modules" / "@mdn" / "mdn-http-observatory" / "src" / "scan.js"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)  # noqa: S603,S607


def certificate_for_localhost(folder):
    """A CA and a certificate it signed for localhost; the scanner is told to trust the CA."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            "/CN=Glossary test CA", "-keyout", "ca.key", "-out", "ca.pem", cwd=folder)  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "site.key", "-out", "site.csr", cwd=folder)  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost\n")
    openssl("x509", "-req", "-in", "site.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "site.pem",
            cwd=folder)  # fmt: skip


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def shared_cache():
    with redis_cache() as environment:
        yield environment


def test_production_headers_score_a_plus(tmp_path, shared_cache):
    need(
        ("nginx (apt-get install nginx-light)", shutil.which("nginx")),
        ("the observatory scanner (npm)", SCANNER.exists()),
        ("node", shutil.which("node")),
    )
    certificate_for_localhost(tmp_path)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "observatory-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": database_url(),
        **shared_cache,  # production requires Redis
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "ERROR",
    }
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = (
        conf.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        .replace("glossary.example.com", "localhost")
        .replace("/etc/ssl/glossary/fullchain.pem", str(tmp_path / "site.pem"))
        .replace("/etc/ssl/glossary/privkey.pem", str(tmp_path / "site.key"))
        .replace("worker_processes auto;", f"worker_processes 1; pid {tmp_path}/nginx.pid;"
                 f" error_log {tmp_path}/nginx.err;")
    )  # fmt: skip
    (tmp_path / "nginx.conf").write_text(conf)
    gunicorn = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    nginx = subprocess.Popen(  # noqa: S603
        [shutil.which("nginx"), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/health/")
        wait_for_port(443)
        result = subprocess.run(  # noqa: S603
            [shutil.which("node"), str(SCANNER), "localhost"],
            env={**os.environ, "NODE_EXTRA_CA_CERTS": str(tmp_path / "ca.pem")},
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        nginx.terminate()
        gunicorn.terminate()
        nginx.wait(timeout=20)
        gunicorn.wait(timeout=20)
    report = json.loads(result.stdout)
    assert "error" not in report, report
    failed = {name: test["result"] for name, test in report["tests"].items() if not test["pass"]}
    print(f"HTTP Observatory: {report['scan']['grade']}, score {report['scan']['score']}")
    assert report["scan"]["score"] >= 100, failed
    assert report["scan"]["grade"] == "A+", failed
    assert failed == {}
