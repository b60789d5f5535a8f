"""What only the full size measures: each page type's first hit, a burst of publishes with a
visitor requesting the pages they affect, and the admin import of many files."""

import io
import json
import re
import secrets
import threading
import time
from urllib.parse import urlsplit

from bench.scale.site import SEARCHES, Http

FINISHED = {"done", "finished", "succeeded", "successful", "complete", "completed", "failed"}


class FullSize:
    """Measurements of ``Phase`` at the full size only (``--full``); they use its site, its
    logged-in client and its pages."""

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
