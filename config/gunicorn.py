"""gunicorn's settings for this site: ``gunicorn -c config/gunicorn.py config.wsgi``.

Each worker builds what it keeps in memory before its first request: the linked-terms
automaton and the search's name index (``glossary.linking``, ``glossary.names``), so no
visitor waits for them. After a term's name or synonyms change, each worker builds them again
on its next request that needs them (about 0.1 s at 10,000 terms, once per worker).
"""


def post_worker_init(worker):
    from django.db import close_old_connections

    from glossary.linking import automaton
    from glossary.names import name_index

    try:
        automaton()
        name_index()
    except Exception:  # the database may be down: the worker still starts and answers 503s
        worker.log.exception("Could not build the term vocabulary at start")
    finally:
        close_old_connections()
