"""One size of the scale benchmark, in a process of its own: a throwaway database, the corpus
imported, the site served by gunicorn with a task worker, the editor's publishes timed, memory."""

import os
import random
import secrets
import sys
import time
from contextlib import ExitStack

import redis

from bench._common import (
    children,
    free_port,
    gunicorn_command,
    manage,
    process,
    production_env,
    rss_mb,
    throwaway_database,
    wait_for,
)
from bench.scale.full_size import FullSize
from bench.scale.site import BENCH_REDIS_URL, SEARCHES, Http, git_commit, timed_import, tree_rss_mb
from devkit.corpus import write_corpus
from devkit.relevance import NAMED_TERMS


class Phase(FullSize):
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
            database_url = stack.enter_context(throwaway_database(name))
            stack.callback(self.forget, "*")
            env = production_env(
                database_url,
                self.tmp,
                BENCH_REDIS_URL,
                CACHE_KEY_PREFIX=self.prefix,
                STATIC_ROOT=str(self.tmp / "static"),
            )
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
                    [*gunicorn_command(2), "-b", f"127.0.0.1:{port}", "config.wsgi"],
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

    def memory(self):
        web = [rss_mb(pid) for pid in children(self.gunicorn_pid)]
        self.results["memory_mb"] = {"web": web, "worker": tree_rss_mb(self.worker_pid)}
