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

Modules: ``__main__`` (the command: each size in a process of its own, then the report),
``phase`` (one size: the site started, the import, the editor's publishes, memory),
``full_size`` (what only the full size measures: first hits, the burst, the admin import),
``site`` (HTTP to the site and other plain helpers) and ``report``.
"""
