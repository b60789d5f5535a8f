"""``manage.py run_site``: the development site and one worker, started and stopped together
(``make run``). Ctrl-C, or either process ending, stops both."""

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
