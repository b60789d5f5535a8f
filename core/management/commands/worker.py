"""``manage.py worker``: the task queue's worker (django-tasks-db's ``db_worker``, every option
of it), after making sure the periodic tasks are scheduled (``core.queue.ensure_periodic``):
the base's and those the apps registered (``core.tasks.register_periodic``)."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core.queue import ensure_periodic


class Command(DatabaseWorkerCommand):
    help = (
        "Run the task queue's worker, with the periodic tasks (scheduled publishing, the apps' "
        "nightly work) scheduled."
    )

    def handle(self, *args, **options):
        ensure_periodic()
        super().handle(*args, **options)
