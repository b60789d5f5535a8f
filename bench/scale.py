"""The site at 100,000 terms: importing, publishing, consistency, memory, first hits (issue 20).

    python -m bench.scale [--terms 100000] [--articles 5000] [--small 1000] [--samples 20]
                          [--import-files 10000] [--label NAME] [--out bench/RESULTS.md]

Each size runs in a process of its own, on a throwaway PostgreSQL database (made and dropped
here, unique name) with production settings: gunicorn (2 workers), one task worker
(``manage.py worker``, the database queue) and Redis (a key prefix of its own). At the small
size (``--small``, 1,000 terms) only the editor's publish and the web worker's memory are
measured, to compare with the full size; at the full size:

- ``import_fixtures`` of the corpus: time and the import process's peak memory;
- the editor's publish: the admin's edit view (``wagtailadmin_pages:edit``) POSTed over HTTP
  with the form's own data (``bench.admin_form``) and "action-publish", one new word in the
  description, p50/p95 over ``--samples`` terms;
- after each publish, the time until everything is current: no task ready or running, and the
  term's page (showing the new word), the pages of the terms that show it (before and after
  the change), the index and the term's letter page are each served (page cache included)
  exactly as a render bypassing every cache shows them;
- each public page type's first hit (its stored responses deleted before each request), p95;
- a burst of 50 publishes (``--burst``) while a visitor loop requests the affected pages: the share served
  warm (``X-Page-Cache: hit``);
- the admin import of ``--import-files`` files (``importer_upload``, then the job's progress
  from ``importer_job_progress``): the upload request, time to first progress, total time;
  "not available" where those URLs do not exist;
- resident memory of each web worker and of the task worker (with its children) at the end.

Writes a section of bench/RESULTS.md (``--out``; ``-`` prints only) with the machine, the date,
the corpus and each figure beside its goal. Nothing here fails a build; a missed goal is
named. ``--terms 200 --articles 20 --small 50`` runs in a few minutes (CI's smoke run).
``--report-from SMALL.json FULL.json`` writes the report from phases saved by ``--phase``
(each size run on its own when the machine is short of time); ``--note`` adds a line.
"""

import argparse
import datetime
import http.client
import io
import json
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import redis

from bench.corpus import write_corpus
from bench.relevance import NAMED_TERMS
from bench.results import write_section
from bench.serve_benchmark import free_port, percentile, wait_for

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BENCH_REDIS_URL = os.environ.get("BENCH_SCALE_REDIS_URL", "redis://127.0.0.1:6379/15")
SEARCHES = ["capacity planning", "process", "risk", "stratgy", "opera", "lean demand"]
FINISHED = {"done", "finished", "succeeded", "successful", "complete", "completed", "failed"}
GOALS = {
    "import s": 300,
    "publish p95 ms": 300,
    "publish ratio": 1.5,
    "web worker growth MB": 60,
    "upload request ms": 1000,
}


# --- plain helpers (no Django) -----------------------------------------------------------------


def summary(values):
    """(p50, p95) of ``values``, or (None, None) for none."""
    if not values:
        return None, None
    return statistics.median(values), percentile(values, 95)


def rss_mb(pid):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+)", status)
    return int(found.group(1)) / 1024 if found else 0.0


def children(pid):
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def tree_rss_mb(pid):
    """Resident memory of a process and all its descendants, MB."""
    return rss_mb(pid) + sum(tree_rss_mb(child) for child in children(pid))


class Http:
    """Requests to the site under test, over HTTP/1.1 on loopback; redirects not followed."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, cookies=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        sent = {"Host": "127.0.0.1", **(headers or {})}
        jar = self.cookies if cookies is None else cookies
        if jar:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - start
        return response.status, dict(response.getheaders()), content, elapsed

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)


@contextmanager
def process(args, env):
    """A server for the length of the block; stopped (killed if it will not stop) after."""
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)  # gunicorn lets requests in flight finish
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- one size, in a process of its own ---------------------------------------------------------


def site_env(database_url, tmp, prefix):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": BENCH_REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "LOG_LEVEL": "ERROR",
        "SEARCH_RATE_LIMIT": "1000000/60",
        "SUGGEST_RATE_LIMIT": "1000000/60",
        "API_RATE_LIMIT": "1000000/60",
        "DOWNLOAD_RATE_LIMIT": "1000000/60",
    }


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def timed_import(env, corpus):
    """Seconds and peak resident memory (MB) of ``import_fixtures`` in a process of its own."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "import_fixtures", str(corpus), "--format", "json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # wait4: the peak memory of this child alone, not of every child this process had.
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit("import_fixtures failed:\n" + proc.stderr.read().decode()[-3000:])
    return seconds, usage.ru_maxrss / 1024


class Phase:
    """The measurements at one size; ``run`` returns them as a dict (JSON)."""

    def __init__(self, args, tmp):
        self.args, self.tmp = args, tmp
        self.rng = random.Random(args.seed)  # noqa: S311 - sampling, not security
        self.prefix = f"bench-scale-{os.getpid()}-{secrets.token_hex(3)}"
        self.results = {
            "terms": args.terms,
            "articles": args.articles,
            "full": args.full,
            "commit": git_commit(),
        }

    def run(self):
        args = self.args
        with ExitStack() as stack:
            name = f"glossary_scale_{os.getpid()}_{secrets.token_hex(3)}"
            subprocess.run(["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
            stack.callback(
                subprocess.run,
                ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            )
            stack.callback(self.forget, "*")
            env = site_env(f"{PG}/{name}", self.tmp, self.prefix)
            self.log(f"corpus: {args.terms} terms, {args.articles} articles")
            corpus = write_corpus(self.tmp / "corpus", args.terms, args.articles, named=NAMED_TERMS)
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput")
            self.log("import")
            seconds, peak = timed_import(env, corpus)
            self.results["import"] = {"seconds": seconds, "peak_mb": peak}
            self.log(f"import: {seconds:.1f} s, {peak:.0f} MB")

            os.environ.update(env)
            import django

            django.setup()
            from django.test.utils import setup_test_environment

            setup_test_environment()  # the test client's response.context, for the edit form

            # Whatever the import left to do is done before anything is timed.
            worker = stack.enter_context(process([sys.executable, "manage.py", "worker"], env))
            self.worker_pid = worker.pid
            self.results["import"]["queue_drained_s"] = self.wait_for_queue(args.fresh_timeout)
            port = free_port()
            server = stack.enter_context(
                process(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "config/gunicorn.py",
                        "-w",
                        "2",
                        "--access-logfile",
                        "/dev/null",
                        "-b",
                        f"127.0.0.1:{port}",
                        "config.wsgi",
                    ],
                    env,
                )
            )
            self.gunicorn_pid = server.pid
            self.http = Http(port)
            wait_for(f"http://127.0.0.1:{port}/glossary/", 120)
            self.log_in()
            self.results["load_average"] = [os.getloadavg()[0]]
            self.pick_pages()
            self.warm_up()
            self.publishes()
            if args.full:
                self.first_hits()
                self.burst()
                self.admin_import()
            self.memory()
            self.results["load_average"].append(os.getloadavg()[0])
        return self.results

    def log(self, text):
        print(f"[{self.args.terms} terms] {text}", file=sys.stderr, flush=True)

    # --- the site's state, read directly --------------------------------------------------

    def forget(self, pattern="pagecache:entry:*"):
        """Delete this run's keys matching ``pattern`` (the stored pages by default)."""
        client = redis.Redis.from_url(BENCH_REDIS_URL)
        keys = list(client.scan_iter(match=f"{self.prefix}:*{pattern}", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])

    def queue_busy(self):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists()

    def wait_for_queue(self, timeout):
        """Seconds until no task is ready or running (None past ``timeout``)."""
        start = time.perf_counter()
        while self.queue_busy():
            if time.perf_counter() - start > timeout:
                return None
            time.sleep(0.2)
        return time.perf_counter() - start

    def log_in(self):
        """A superuser's session and a CSRF secret, as cookies for requests over HTTP."""
        from django.contrib.auth import get_user_model
        from django.test import Client

        user = get_user_model().objects.create_superuser(
            f"bench-{secrets.token_hex(3)}", "bench@example.com", secrets.token_urlsafe(16)
        )
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(user)
        self.csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        self.http.cookies = {
            "sessionid": self.client.cookies["sessionid"].value,
            "csrftoken": self.csrf,
        }

    def pick_pages(self):
        from glossary.models import GlossaryIndexPage, GlossaryTermPage
        from pulse.models import PulseArticlePage

        terms = list(GlossaryTermPage.objects.live().values_list("pk", flat=True))
        self.rng.shuffle(terms)
        self.term_ids = terms
        self.index = GlossaryIndexPage.objects.get()
        self.index_path = self.index.url
        self.articles = [page.url for page in PulseArticlePage.objects.live()[:500]]

    def term_path(self, pk):
        from glossary.models import GlossaryTermPage

        return GlossaryTermPage.objects.get(pk=pk).url

    def letter_path(self, pk):
        from glossary.alphabet import letter_slug
        from glossary.models import GlossaryTermPage

        letter = GlossaryTermPage.objects.get(pk=pk).letter
        return self.index.url + self.index.reverse_subpage("letter", args=[letter_slug(letter)])

    def showing(self, pk):
        """Paths of the terms whose pages show term ``pk`` (related, previous or next)."""
        from glossary.models import GlossaryTermPage, TermNeighbour

        ids = TermNeighbour.objects.filter(other_id=pk).values_list("term_id", flat=True)
        return {page.url for page in GlossaryTermPage.objects.filter(pk__in=ids)}

    # --- the editor ----------------------------------------------------------------------

    def publish_data(self, pk, marker):
        from django.urls import reverse

        from bench.admin_form import form_data

        url = reverse("wagtailadmin_pages:edit", args=[pk])
        response = self.client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
        data = form_data(response.context["form"])
        data["description"] = f"{marker} {data['description']}"
        data["action-publish"] = "action-publish"
        data["csrfmiddlewaretoken"] = self.csrf
        return url, data

    def publish(self, url, data):
        """POST the edit form over HTTP, as a browser does; seconds taken."""
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

        body = encode_multipart(BOUNDARY, data)
        status, headers, content, elapsed = self.http.request(
            "POST", url, body=body, headers={"Content-Type": MULTIPART_CONTENT}
        )
        if status != 302:
            raise SystemExit(f"publish {url}: {status}\n{content[:2000]!r}")
        return elapsed

    def current(self, paths, term_path, marker):
        """Whether every path is served as a render bypassing the caches shows it, and the
        term's page shows ``marker``: the published change and all that follows it."""
        if self.queue_busy():
            return False
        for path in paths:
            status, _, served, _ = self.http.get(path, cookies={})
            if status != 200 or (path == term_path and marker.encode() not in served):
                return False
            # A session cookie (not a valid one) bypasses the page cache: a fresh render.
            _, _, rendered, _ = self.http.get(path, cookies={"sessionid": "bench-fresh"})
            if served != rendered:
                return False
        return True

    def publishes(self):
        args, times, lags, late, paths = self.args, [], [], 0, set()
        for number in range(args.samples):
            pk = self.term_ids[number]
            marker = f"scalemark{number}x{secrets.token_hex(3)}"
            url, data = self.publish_data(pk, marker)
            term_path = self.term_path(pk)
            before = self.showing(pk)
            times.append(self.publish(url, data))
            done = time.perf_counter()
            if not args.full:
                self.wait_for_queue(args.fresh_timeout)
                continue
            if number >= args.fresh_samples:
                # Editors do not wait for the worker: the rest publish while it works.
                self.log(f"publish {number + 1}: {times[-1] * 1000:.0f} ms")
                time.sleep(1)
                continue
            while True:
                paths = {term_path, self.index_path, self.letter_path(pk)}
                paths |= before | self.showing(pk)
                if self.current(sorted(paths), term_path, marker):
                    lags.append(time.perf_counter() - done)
                    break
                if time.perf_counter() - done > args.fresh_timeout:
                    lags.append(args.fresh_timeout)
                    late += 1
                    self.wait_for_queue(args.fresh_timeout)
                    break
                time.sleep(0.2)
            self.log(f"publish {number + 1}: {times[-1] * 1000:.0f} ms, current {lags[-1]:.1f} s")
        self.results["publish_ms"] = [t * 1000 for t in times]
        if args.full:
            self.results["current_s"] = lags
            self.results["current_late"] = late
            self.results["current_pages"] = len(paths)

    # --- visitors ------------------------------------------------------------------------

    def warm_up(self):
        """Every page type a few times, so that each process has built what it keeps."""
        paths = [self.index_path, "/", "/pulse/", "/sitemap.xml"]
        paths += [self.term_path(pk) for pk in self.term_ids[-20:]]
        paths += [f"/search/?q={query.replace(' ', '+')}" for query in SEARCHES]
        for _ in range(2):
            for path in paths:
                self.http.get(path, cookies={})

    def first_hits(self):
        """Each public page type's first hit: its stored responses deleted before each."""
        samples = self.args.samples
        fresh_terms = self.term_ids[-(samples + 21) : -21] or self.term_ids
        letters = [self.letter_path(pk) for pk in self.term_ids[:samples]]
        pages = {
            "term": [self.term_path(pk) for pk in fresh_terms],
            "letter page": letters,
            "glossary index": [self.index_path],
            "article": self.articles or ["/pulse/"],
            "search": [f"/search/?q={query.replace(' ', '+')}" for query in SEARCHES],
            "sitemap": ["/sitemap.xml", "/sitemap-glossary.xml"],
        }
        found = {}
        for name, paths in pages.items():
            times = []
            for number in range(samples):
                self.forget()
                status, _, _, elapsed = self.http.get(paths[number % len(paths)], cookies={})
                if status != 200:
                    raise SystemExit(f"{paths[number % len(paths)]}: {status}")
                times.append(elapsed * 1000)
            found[name] = times
        self.results["first_hit_ms"] = found

    def burst(self):
        """``--burst`` publishes in a row while a visitor requests the pages they affect."""
        start = self.args.samples
        self.wait_for_queue(self.args.fresh_timeout)
        chosen = self.term_ids[start : start + self.args.burst]
        prepared = [
            self.publish_data(pk, f"burstmark{n}x{secrets.token_hex(3)}")
            for n, pk in enumerate(chosen)
        ]
        paths = {self.index_path}
        for pk in chosen:
            paths |= {self.term_path(pk), self.letter_path(pk)}
            paths |= set(sorted(self.showing(pk))[:3])
        paths = sorted(paths)
        for path in paths:  # warm before the burst
            self.http.get(path, cookies={})
        counts = {"hit": 0, "miss": 0, "other": 0, "errors": 0}
        stop = threading.Event()

        def visitor():
            visits = Http(self.http.port)
            while not stop.is_set():
                for path in paths:
                    if stop.is_set():
                        break
                    status, headers, _, _ = visits.get(path, cookies={})
                    if status != 200:
                        counts["errors"] += 1
                    state = headers.get("X-Page-Cache", "other")
                    counts[state if state in counts else "other"] += 1

        thread = threading.Thread(target=visitor)
        thread.start()
        began = time.perf_counter()
        try:
            times = [self.publish(url, data) for url, data in prepared]
        finally:
            stop.set()
            thread.join()
        seconds = time.perf_counter() - began
        drained = self.wait_for_queue(self.args.fresh_timeout)
        self.results["burst"] = {
            **counts,
            "publishes": len(prepared),
            "seconds": seconds,
            "publish_ms": [t * 1000 for t in times],
            "queue_drained_s": drained,
            "pages": len(paths),
        }
        self.log(f"burst: {counts}")

    # --- the admin import --------------------------------------------------------------------

    def admin_import(self):
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
        from django.urls import NoReverseMatch, resolve, reverse

        try:
            upload = reverse("importer_upload")
            reverse("importer_job_progress", args=[1])
        except NoReverseMatch:
            self.results["admin_import"] = None
            return
        files = []
        for path in sorted((self.tmp / "corpus" / "glossary").iterdir())[: self.args.import_files]:
            text = path.read_text(encoding="utf-8").replace(
                "\ndescription: ", "\ndescription: Imported again. ", 1
            )
            upload_file = io.BytesIO(text.encode())
            upload_file.name = path.name
            files.append(upload_file)
        body = encode_multipart(BOUNDARY, {"files": files, "csrfmiddlewaretoken": self.csrf})
        status, headers, content, elapsed = self.http.request(
            "POST", upload, body=body, headers={"Content-Type": MULTIPART_CONTENT}
        )
        if status != 302:
            raise SystemExit(f"upload: {status}\n{content[:2000]!r}")
        found = {"files": len(files), "upload_ms": elapsed * 1000, "upload_mb": len(body) / 2**20}
        job = resolve(urlsplit(headers["Location"]).path).kwargs
        job_id = next(iter(job.values()))
        self.log(f"admin import: upload of {len(files)} files took {elapsed:.1f} s")
        found["dry_run"] = self.follow_job(reverse("importer_job_progress", args=[job_id]))
        confirm = self.confirm_form(headers["Location"])
        if confirm:
            action, data = confirm
            body = encode_multipart(BOUNDARY, data | {"csrfmiddlewaretoken": self.csrf})
            status, headers, _, elapsed = self.http.request(
                "POST", action, body=body, headers={"Content-Type": MULTIPART_CONTENT}
            )
            if status == 302:
                job = resolve(urlsplit(headers["Location"]).path).kwargs
                found["apply_request_ms"] = elapsed * 1000
                found["apply"] = self.follow_job(
                    reverse("importer_job_progress", args=[next(iter(job.values()))])
                )
        self.results["admin_import"] = found
        self.log(f"admin import: {found}")

    def follow_job(self, progress_url):
        """Seconds to the first file done and to the end, from the job's progress JSON."""
        start, first = time.perf_counter(), None
        while True:
            status, _, content, _ = self.http.get(progress_url)
            if status != 200:
                raise SystemExit(f"{progress_url}: {status}")
            state = json.loads(content)
            now = time.perf_counter() - start
            if first is None and (state.get("files_done") or 0) > 0:
                first = now
            if str(state.get("status", "")).lower() in FINISHED:
                return {"first_progress_s": first, "total_s": now, "status": state["status"]}
            if now > self.args.fresh_timeout * 4:
                return {"first_progress_s": first, "total_s": None, "status": state.get("status")}
            time.sleep(0.25)

    def confirm_form(self, job_path):
        """(action, fields) of the job page's "Confirm import" form, if it has one."""
        status, _, content, _ = self.http.get(job_path)
        page = content.decode(errors="replace")
        for form in re.findall(r"<form\b.*?</form>", page, flags=re.S | re.I):
            if "confirm" not in form.lower():
                continue
            action = re.search(r'action="([^"]*)"', form)
            fields = dict(
                re.findall(r'<(?:input|button)[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
            )
            fields.pop("csrfmiddlewaretoken", None)
            return (action.group(1) if action and action.group(1) else job_path), fields
        return None

    def memory(self):
        web = [rss_mb(pid) for pid in children(self.gunicorn_pid)]
        self.results["memory_mb"] = {"web": web, "worker": tree_rss_mb(self.worker_pid)}


# --- the report --------------------------------------------------------------------------------


def fmt(value, digits=0, unit=""):
    return "n/a" if value is None else f"{value:,.{digits}f}{unit}"


def verdict(value, goal):
    if value is None:
        return "not measured"
    return "yes" if value <= goal else "**no**"


def report(args, phases):
    """Markdown: the machine, the date, the corpus and each figure beside its goal."""
    now = datetime.datetime.now(datetime.UTC)
    full = phases[-1]
    small = phases[0] if len(phases) > 1 else None
    p50, p95 = summary(full["publish_ms"])
    small_p95 = summary(small["publish_ms"])[1] if small else None
    ratio = p95 / small_p95 if small_p95 else None
    lag50, lag95 = summary(full.get("current_s", []))
    web = max(full["memory_mb"]["web"] or [0])
    small_web = max(small["memory_mb"]["web"] or [0]) if small else None
    growth = web - small_web if small_web else None
    heading = "Scale benchmark (`make bench-scale`)"
    if args.label:
        heading += f": {args.label}"
    lines = [
        f"# {heading}",
        "",
        f"- date: {now:%Y-%m-%d %H:%M} UTC; site at commit {full.get('commit', 'unknown')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; shared with other work while measured (six sessions "
        "on two cores): times are upper bounds",
        f"- corpus: {full['terms']:,} generated terms and {len(NAMED_TERMS)} real ones, "
        f"{full['articles']:,} articles, PostgreSQL; gunicorn with 2 workers and one task "
        "worker (`manage.py worker`), production settings, Redis",
        f"- small size for the ratios: {small['terms']:,} terms, {small['articles']:,} articles"
        if small
        else "- no small size (`--small` not below `--terms`)",
        *(
            [f"- load average (1 min) when measuring began / ended: {load[0]:.1f} / {load[-1]:.1f}"]
            if (load := full.get("load_average"))
            else []
        ),
        *([f"- note: {args.note}"] if args.note else []),
        "",
        "| figure | measured | goal | met |",
        "|---|---:|---:|:---:|",
        f"| import_fixtures, first import of {full['terms']:,} terms | {fmt(full['import']['seconds'], 1, ' s')} "
        f"| ≤ 300 s | {verdict(full['import']['seconds'], GOALS['import s'])} |",
        f"| import_fixtures, peak memory | {fmt(full['import']['peak_mb'], 0, ' MB')} | — | |",
        f"| queue drained after the import | {fmt(full['import'].get('queue_drained_s'), 1, ' s')}"
        " | — | |",
        f"| publish (admin edit view), p50 / p95 at {full['terms']:,} terms "
        f"| {fmt(p50)} / {fmt(p95)} ms | p95 ≤ 300 ms | {verdict(p95, GOALS['publish p95 ms'])} |",
    ]
    if small:
        s50, s95 = summary(small["publish_ms"])
        lines += [
            f"| publish, p50 / p95 at {small['terms']:,} terms | {fmt(s50)} / {fmt(s95)} ms "
            f"| p95 ≤ 300 ms | {verdict(s95, GOALS['publish p95 ms'])} |",
            f"| publish p95, {full['terms']:,} / {small['terms']:,} terms | {fmt(ratio, 2)} "
            f"| ≤ 1.5 | {verdict(ratio, GOALS['publish ratio'])} |",
        ]
    late = full.get("current_late", 0)
    lines += [
        f"| publish → all current (queue empty, {full.get('current_pages', 'n/a')} pages "
        f"checked), p50 / p95 | {fmt(lag50, 1)} / {fmt(lag95, 1)} s"
        + (f" ({late} of {len(full['current_s'])} past {args.fresh_timeout} s)" if late else "")
        + " | stated, shown | |",
        f"| web worker memory (each, largest) | {fmt(web)} MB | — | |",
    ]
    if small:
        lines.append(
            f"| web worker growth, {small['terms']:,} → {full['terms']:,} terms | "
            f"{fmt(growth)} MB | ≤ 60 MB (vs 100 terms) | "
            f"{verdict(growth, GOALS['web worker growth MB'])} |"
        )
    lines.append(
        f"| task worker memory (with children) | {fmt(full['memory_mb']['worker'])} MB | — | |"
    )
    for name, times in full.get("first_hit_ms", {}).items():
        lines.append(f"| first hit, {name}, p95 | {fmt(summary(times)[1])} ms | — | |")
    burst = full.get("burst")
    if burst:
        total = burst["hit"] + burst["miss"] + burst["other"]
        share = burst["hit"] / total if total else None
        b50, b95 = summary(burst["publish_ms"])
        lines += [
            f"| burst of {burst['publishes']} publishes ({fmt(burst['seconds'], 1)} s; publish "
            f"p50 / p95 {fmt(b50)} / {fmt(b95)} ms): visitor requests served warm "
            f"| {fmt(share and share * 100, 0)} % of {total:,} ({burst['errors']} errors) | — | |",
            f"| queue drained after the burst | {fmt(burst['queue_drained_s'], 1, ' s')} | — | |",
        ]
    imported = full.get("admin_import", "skipped")
    if imported is None:
        lines.append(
            f"| admin import of {args.import_files:,} files | not available "
            "(no `importer_upload` / `importer_job_progress` URL) | — | |"
        )
    elif isinstance(imported, dict):
        lines.append(
            f"| admin import of {imported['files']:,} files ({fmt(imported['upload_mb'], 1)} MB): "
            f"upload request | {fmt(imported['upload_ms'])} ms | < 1 s "
            f"| {verdict(imported['upload_ms'], GOALS['upload request ms'])} |"
        )
        for step in ("dry_run", "apply"):
            if imported.get(step):
                job = imported[step]
                lines.append(
                    f"| admin import, {step.replace('_', ' ')}: first progress / total "
                    f"({job['status']}) | {fmt(job['first_progress_s'], 1)} / "
                    f"{fmt(job['total_s'], 1)} s | — | |"
                )
    lines += [
        "",
        "Publish: the admin's edit view over HTTP with the form's own data and one new word in "
        "the description. All current: no task ready or running, and the term's page (with the "
        "word), the pages showing the term (before and after), the index and the term's letter "
        "page (first page) each served exactly as a render bypassing the caches shows them; "
        f"timed from the publish response, for the first {min(args.fresh_samples, args.samples)} "
        "publishes (the others follow each other a second apart, the worker busy or not). "
        "First hits: the page's stored responses deleted "
        f"before each of {args.samples} requests.",
    ]
    return "\n".join(lines) + "\n"


def git_commit():
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def run_phase(args, terms, articles, full, folder):
    """One size in a process of its own (its own Django, database and servers)."""
    out = folder / f"phase-{terms}.json"
    command = [
        sys.executable,
        "-m",
        "bench.scale",
        "--phase",
        str(out),
        "--terms",
        str(terms),
        "--articles",
        str(articles),
        "--samples",
        str(args.samples),
        "--import-files",
        str(args.import_files),
        "--fresh-timeout",
        str(args.fresh_timeout),
        "--fresh-samples",
        str(args.fresh_samples),
        "--burst",
        str(args.burst),
        "--seed",
        str(args.seed),
    ]
    if full:
        command.append("--full")
    subprocess.run(command, cwd=ROOT, check=True)
    return json.loads(out.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--small", type=int, default=1_000, help="terms at the small size")
    parser.add_argument("--samples", type=int, default=20, help="publishes and first hits")
    parser.add_argument("--fresh-samples", type=int, default=20, help="publishes timed to current")
    parser.add_argument("--burst", type=int, default=50, help="publishes in the burst")
    parser.add_argument("--import-files", type=int, default=10_000)
    parser.add_argument("--fresh-timeout", type=int, default=300, help="seconds to wait")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label", default="", help="a heading of its own: a separate section")
    parser.add_argument("--note", default="", help="a line of its own in the report")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument(
        "--report-from",
        nargs="+",
        metavar="JSON",
        help="write the report from phases saved before (small size first), measuring nothing",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        with tempfile.TemporaryDirectory(prefix="glossary-scale-") as tmp:
            found = Phase(args, Path(tmp)).run()
        Path(args.phase).write_text(json.dumps(found))
        return
    if args.report_from:
        phases = [json.loads(Path(name).read_text()) for name in args.report_from]
        args.terms = phases[-1]["terms"]
    else:
        phases = measure(args)
    text = report(args, phases)
    print(text)
    if args.out != "-":
        name = "scale" + (f"-{slug(args.label)}" if args.label else "")
        write_section(name, text, Path(args.out))


def measure(args):
    """Each size's figures, the small size first."""
    with tempfile.TemporaryDirectory(prefix="glossary-scale-") as tmp:
        phases = []
        if 0 < args.small < args.terms:
            small_articles = max(1, args.articles * args.small // args.terms)
            phases.append(run_phase(args, args.small, small_articles, False, Path(tmp)))
        phases.append(run_phase(args, args.terms, args.articles, True, Path(tmp)))
    return phases


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


if __name__ == "__main__":
    main()
