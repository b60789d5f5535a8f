"""gunicorn's settings for this site: ``gunicorn -c config/gunicorn.py config.wsgi``.

A web worker holds nothing glossary-sized: linked mentions are stored with the pages by the
task worker (``glossary.linking``) and names are searched in PostgreSQL (``glossary.names``).
On SQLite (development) the search's name index is kept in memory: each worker builds it before
its first request (the warm-up the search's name matchers register, ``core.searchables``), so
no visitor waits for it.
"""


def post_worker_init(worker):
    from django.db import close_old_connections

    from core import searchables

    try:
        searchables.warm_up()
    except Exception:  # the database may be down: the worker still starts and answers 503s
        worker.log.exception("Could not build the term vocabulary at start")
    finally:
        close_old_connections()
