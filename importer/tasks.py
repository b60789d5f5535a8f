"""The admin import's jobs on the task queue (``importer.jobs`` says how they run)."""

from django_tasks import task


@task()
def run_import_job(job_id):
    """A dry run or an import of a stored upload; a finished job is not run again, so a task
    delivered twice does no harm."""
    from . import jobs

    return jobs.run(job_id)
