"""Every page type passes the Nu Html Checker, and no internal link or image is broken."""

import json
import re
import shutil
import subprocess
from urllib.parse import urljoin, urlparse

import pytest
from lxml import html

from .conftest import VNU, need

pytestmark = pytest.mark.django_db


def test_every_page_type_has_valid_html(client, site_content, tmp_path):
    java = shutil.which("java")
    need(("java", java), ("vnu-jar (npm)", VNU.exists()))
    files = []
    for number, url in enumerate(site_content):
        response = client.get(url)
        assert response.status_code == (404 if url == "/no-such-page/" else 200), url
        path = tmp_path / f"page{number}.html"
        path.write_bytes(response.content)
        files.append((url, path))
    result = subprocess.run(  # noqa: S603 - the checker's own jar, our own files
        [
            java,
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--exit-zero-always",
            *[str(p) for _, p in files],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    by_file = {str(path): url for url, path in files}
    errors = [
        f"{by_file.get(urlparse(m.get('url', '')).path, m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)


def links_in(response, base):
    tree = html.fromstring(response.content)
    for attribute in ("href", "src"):
        for value in tree.xpath(f"//*[@{attribute}]/@{attribute}"):
            absolute = urljoin(base, value)
            parsed = urlparse(absolute)
            if parsed.netloc in ("testserver", "localhost", "") and parsed.scheme in (
                "http",
                "https",
                "",
            ):
                yield parsed.path + (f"?{parsed.query}" if parsed.query else "")


def test_crawl_finds_no_broken_internal_link_or_image(client, site_content):
    seen, queue, broken = set(), ["/"], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        if url.startswith("/feedback/report/") and any(
            seen_url.startswith("/feedback/report/") for seen_url in seen
        ):
            continue  # one term's report form stands for the hundreds of others
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            broken.append(f"{response.status_code} {url}")
            continue
        if response.get("Content-Type", "").startswith("text/html") and not url.startswith(
            "/media/"
        ):
            queue.extend(
                link for link in links_in(response, f"http://testserver{url}") if link not in seen
            )
    assert broken == [], "\n".join(broken)
    assert len([u for u in seen if re.match(r"^/glossary/[^/]+/$", u)]) > 300, (
        "the crawl reached every term"
    )
    assert any(u.startswith("/media/images/") for u in seen), "images were checked too"
