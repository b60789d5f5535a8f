"""``manage.py run_site``: the development site and one worker, started and stopped together
(``make run``). Ctrl-C, or either process ending, stops both.

The default Site is given the address served (``127.0.0.1:8000``) while it still has the one
Wagtail starts with (``localhost:80``): canonical links, the sitemap, the API and the
downloads' IRIs are the Site's address, and ``http://localhost/`` is served by nothing here.
A Site an administrator has set is left alone."""

import re
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development server and one task worker together; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        site = set_default_site_address(addrport)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        # SIGTERM (a supervisor, a test) stops both, as Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *args: sys.exit(0))
        processes = []
        try:
            processes.append(subprocess.Popen([*manage, "worker"]))  # noqa: S603 - our own command
            processes.append(subprocess.Popen([*manage, "runserver", addrport]))  # noqa: S603
            self.stdout.write(
                f"Site at http://{addrport}/ (pid {processes[1].pid}), worker pid "
                f"{processes[0].pid}. Ctrl-C stops both.",
            )
            if site is not None:
                self.stdout.write(f"The default Site's address is {site.root_url}/.")
            self.stdout.flush()
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


# runserver's own reading of "addr:port" (django/core/management/commands/runserver.py).
ADDRPORT = re.compile(r"^(?:(?P<addr>\[[^\]]+\]|[^:]+):)?(?P<port>\d+)$")
UNSPECIFIED = {"0.0.0.0", "::", "0", ""}  # noqa: S104 - names of addresses, bound by nobody here


def set_default_site_address(addrport):
    """The default Site, pointed at ``addrport`` (``HOST:PORT`` or ``PORT``, as runserver reads
    it) if it still has Wagtail's first address, ``localhost:80``; None when it was left as
    it was. All addresses (0.0.0.0) and IPv6 literals are reached as ``localhost``. Saving the
    Site sends the dispatcher's ``everything``: cached pages and downloads follow it."""
    from wagtail.models import Site

    match = ADDRPORT.match(addrport)
    if match is None:
        return None
    host = (match["addr"] or "127.0.0.1").strip("[]")
    host = "localhost" if host in UNSPECIFIED or ":" in host else host  # not IPv6 literals
    port = int(match["port"])
    site = Site.objects.filter(is_default_site=True).first()
    first = ("localhost", 80)
    if site is None or (site.hostname, site.port) != first or (host, port) == first:
        return None
    site.hostname, site.port = host, port
    site.save()
    return site
