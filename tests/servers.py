"""Real servers for integration tests: gunicorn, Varnish, and another Django process.

They use the test database (committed data: use ``transactional_db``) and a cache they share
with each other (a file cache in a temporary folder, or Redis), as production processes do.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(program, why):
    """Skip (or fail in CI, where REQUIRE_CHECKERS=1) when a server program is missing."""
    if shutil.which(program) is None:
        message = f"needs {program} ({why}); CI installs it"
        if os.environ.get("REQUIRE_CHECKERS") == "1":
            pytest.fail(message)
        pytest.skip(message)


def database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def server_env(cache, **extra):
    """Environment for a process of the site: the test database and the shared ``cache``
    (``{"CACHE_DIR": ...}`` or ``{"REDIS_URL": ...}``)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CACHE_DIR", "CACHE_KEY_PREFIX", "FRONTEND_CACHE_PURGE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url(),
        TEST_SHARED_CACHE="1",
        **cache,
        **extra,
    )
    return env


REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


@contextlib.contextmanager
def redis_cache():
    """The shared-cache environment of a test's servers on the machine's Redis, under a key
    prefix of its own (two test runs, or two xdist workers, never see each other's keys),
    deleted afterwards. Skips (fails in CI) without Redis."""
    import uuid

    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_CHECKERS") == "1":
            pytest.fail("needs Redis at 127.0.0.1:6379")
        pytest.skip("needs Redis at 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    try:
        yield {"REDIS_URL": REDIS_TEST_URL, "CACHE_KEY_PREFIX": prefix}
    finally:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)


def wait_for(url, seconds=120, any_status=False):
    """Wait until ``url`` answers 2xx/3xx (or, with ``any_status``, answers at all)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our server
                return response.status
        except urllib.error.HTTPError as error:
            if any_status:
                return error.code
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def get(url, headers=None):
    """(status, headers, text) of a GET, without following redirects or raising on 4xx."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our server
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@contextlib.contextmanager
def gunicorn(env, workers=2, log=None, healthy=True):
    """gunicorn serving the site; its log (stderr) goes to the file ``log`` if given. With
    ``healthy=False`` (a test that breaks the database or cache) any answer means ready."""
    port = free_port()
    with contextlib.ExitStack() as stack:
        stderr = stack.enter_context(open(log, "wb")) if log else subprocess.DEVNULL  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"]
            + ["-b", f"127.0.0.1:{port}", "-w", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        with _running(process, f"http://127.0.0.1:{port}", any_status=not healthy) as base:
            yield base


@contextlib.contextmanager
def _running(process, base, any_status=False):
    """Yield ``base`` once the server answers; stop the server afterwards."""
    try:
        wait_for(base + "/robots.txt", any_status=any_status)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextlib.contextmanager
def varnish(backend_port, purge_secret=""):
    """varnishd with deploy/varnish.vcl, its backend moved to ``backend_port``, listening on
    loopback, accepting purges with ``purge_secret`` (VARNISH_PURGE_SECRET; none without)."""
    port = free_port()
    # Varnish's worker drops root for its own user: its folder must be reachable by it.
    folder = Path(tempfile.mkdtemp(prefix="glossary-varnish-"))
    folder.chmod(0o755)
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text().replace('"8000"', f'"{backend_port}"')
    (folder / "site.vcl").write_text(vcl)
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            shutil.which("varnishd"),
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(folder / "site.vcl"),
            "-n",
            str(folder / "varnish"),
            "-s",
            "malloc,64m",
        ],
        env={**os.environ, "VARNISH_PURGE_SECRET": purge_secret},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with _running(process, f"http://127.0.0.1:{port}") as base:
            yield base
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def nginx(backend_port, folder):
    """nginx with deploy/nginx.conf on two free loopback ports, proxying to ``backend_port``;
    yields (http base, https base). ``folder`` holds its certificate, made here."""
    http_port, https_port = free_port(), free_port()
    subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=localhost", "-keyout", "site.key", "-out", "site.pem"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    conf = (
        (ROOT / "deploy" / "nginx.conf")
        .read_text()
        .replace("127.0.0.1:8000", f"127.0.0.1:{backend_port}")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        .replace("glossary.example.com", "localhost")
        .replace("/etc/ssl/glossary/fullchain.pem", str(folder / "site.pem"))
        .replace("/etc/ssl/glossary/privkey.pem", str(folder / "site.key"))
        .replace(
            "worker_processes auto;",
            f"worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/nginx.err;",
        )
    )
    (folder / "nginx.conf").write_text(conf)
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [shutil.which("nginx"), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while request("GET", f"https://127.0.0.1:{https_port}/robots.txt") is None:
            if time.monotonic() > deadline:
                raise TimeoutError("nginx did not start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def request(method, url, headers=None):
    """The status of a ``method`` request (PURGE, BAN), TLS unchecked (a test's own cert);
    None when nothing answers."""
    import ssl

    context = ssl._create_unverified_context()  # noqa: S323 - the test's self-signed cert
    req = urllib.request.Request(url, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=20, context=context) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return None  # not listening (yet)


def run_django(code, env):
    """Run ``code`` in another Django process (``manage.py shell -c``), as an editor's or an
    importer's process would; fail with its output if it fails."""
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class SwitchableTcpProxy:
    """A TCP proxy to ``target`` that can be cut (every connection dropped, new ones refused)
    and restored on the same port: a database going away and coming back, as the site sees it.
    """

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.sockets = set()
        self.listener = None
        self.lock = threading.Lock()

    def __enter__(self):
        self.restore()
        return self

    def __exit__(self, *exc):
        self.cut()

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        with self.lock:
            if self.listener is not None:
                # shutdown() first: close() alone leaves a thread blocked in accept() listening.
                with contextlib.suppress(OSError):
                    self.listener.shutdown(socket.SHUT_RDWR)
                self.listener.close()
                self.listener = None
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # cut
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)


def start_worker(cache_dir):
    """``manage.py worker`` on the database backend, polling fast, sharing ``cache_dir`` with
    the test; stop it with SIGTERM and ``communicate``."""
    env = server_env({"CACHE_DIR": str(cache_dir)}, TASKS_BACKEND="database")
    return subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
