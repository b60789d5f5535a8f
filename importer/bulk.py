"""Create many new pages at once, with what Wagtail's per-page path would have written.

Wagtail's ``add_child`` + ``save_revision`` + ``publish`` costs too much a page
(``bench/RESULTS.md``), mostly in per-save signals (search index, reference index, tree
bookkeeping). A first import of 10,000 terms cannot afford that, so new pages are written in
batches: tree paths computed here, rows bulk-inserted, then revisions, log entries, the search
index and the reference index filled in bulk. Updates of existing pages still take Wagtail's
own path.

Rows are written by ``insert``: with COPY on PostgreSQL (Django 5.2's bulk INSERT there sends
each column as one array literal escaped in Python, slow for the long JSON of revisions and
StreamFields); elsewhere with Django's bulk insert where new ids are needed and one
``executemany`` where they are not.

Search entries (``index_for_search``): Wagtail's search (the ``modelsearch`` package) indexes
a batch with ``add_bulk``; on PostgreSQL its indexer evaluates every search field of an object
five times and compiles a Django expression per text, a large part of a first import
(``bench/RESULTS.md``). Here the same rows are written with the texts computed once and one
statement per batch, reusing the library's own field traversal and weights. Other backends
keep the library's ``add_bulk``.

This is the importer's one module of private APIs, each noted where used: Django's
``_insert`` (``bulk_create`` refuses the tables of multi-table inheritance), treebeard's path
helpers, Wagtail's ``ReferenceIndex._extract_references_from_object`` and
``_get_content_path_hash``, modelsearch's ``ObjectIndexer`` and ``_refresh_title_norms``. It
was checked against ``CHECKED_VERSIONS``; the importer refuses to start on any other (see
``importer.apps``). ``tests/importer/test_bulk.py`` compares what it writes with what Wagtail's
own path writes, row for row.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from modelcluster.models import get_all_child_relations
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    ObjectIndexer,
    PostgresSearchBackend,
)
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.utils import get_content_type_pk
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends

BATCH_SIZE = 500
# The packages whose private parts this module uses, at the (major, minor) it was read against.
CHECKED_VERSIONS = {
    "Django": (5, 2),
    "wagtail": (8, 0),
    "django-treebeard": (5, 3),
    "modelsearch": (1, 3),
}


def insert(model, objects, fields=None, *, ids=True):
    """Insert new ``objects`` as rows of ``model``'s own table.

    ``fields`` are the columns to fill (default: all of the model's); ``objects`` may be of a
    subclass, e.g. specific pages into ``Page``'s table. Values are prepared as Django's own
    save would (``pre_save``, ``get_db_prep_save``). Objects without a primary key get their
    new row's id, unless ``ids=False`` says nobody needs it (rows that only point at others:
    log entries, references), which lets SQLite take its fastest path.
    """
    if not objects:
        return
    fields = list(fields or model._meta.concrete_fields)
    pk = model._meta.pk
    connection = connections[router.db_for_write(model)]
    new_ids = pk in fields and getattr(objects[0], pk.attname) is None
    if new_ids:
        fields.remove(pk)
    if connection.vendor == "postgresql":
        if new_ids and ids:
            _take_ids_from_sequence(connection, model, objects)
            fields.insert(0, pk)
        _copy(connection, model, objects, fields)
    elif new_ids and ids:
        _insert_returning_ids(connection, model, objects, fields)
    else:
        _executemany(connection, model, objects, fields)
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def _row(obj, fields, connection):
    return [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]


def _take_ids_from_sequence(connection, model, objects):
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objects)],
        )
        new = sorted(value for (value,) in cursor.fetchall())
    for obj, value in zip(objects, new, strict=True):
        setattr(obj, pk.attname, value)


def _copy(connection, model, objects, fields):
    """PostgreSQL's COPY, its fastest way to load rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row(_row(obj, fields, connection))


def _insert_returning_ids(connection, model, objects, fields):
    """Django's bulk insert, which returns the new ids (SQLite 3.35+)."""
    pk = model._meta.pk
    size = min(BATCH_SIZE, connection.ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        chunk = objects[start : start + size]
        rows = model._base_manager._insert(
            chunk, fields=fields, returning_fields=[pk], using=connection.alias
        )
        for obj, (value,) in zip(chunk, rows, strict=True):
            setattr(obj, pk.attname, value)


def _executemany(connection, model, objects, fields):
    """One statement run for every row (DB-API executemany), no SQL compiled per value."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 - names only
            [_row(obj, fields, connection) for obj in objects],
        )


def next_paths(parent, count):
    """Tree paths for ``count`` new last children of ``parent``."""
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0  # treebeard helpers
    return [
        Page._get_path(parent.path, parent.depth + 1, step + offset)
        for offset in range(1, count + 1)
    ]


def create_pages(parent, pages, publish=True, user=None):
    """Insert unsaved specific ``pages`` (with in-memory child relations) under ``parent``.

    Returns the revision of each page, in order. Call inside a transaction.
    """
    if not pages:
        return []
    model = type(pages[0])
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(model)
    page_type = ContentType.objects.get_for_model(Page)
    for page, path in zip(pages, next_paths(parent, len(pages)), strict=True):
        page.path, page.depth, page.numchild = path, parent.depth + 1, 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = content_type
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live = publish
        page.has_unpublished_changes = not publish
        page.first_published_at = page.last_published_at = now if publish else None
        page.latest_revision_created_at = now

    relations = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    for page in pages:
        # A new page has no comments (or other unset children): say so, or each later
        # read of the relation would query the database once the page has an id.
        held = getattr(page, "_cluster_related_objects", {})
        for name in relations:
            if name not in held:
                setattr(page, name, [])

    # Multi-table inheritance: the base rows, then the specific model's own (Wagtail's own
    # Page has none).
    insert(Page, pages)
    if model is not Page:
        for page in pages:
            page.page_ptr_id = page.id
        insert(model, pages, model._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)

    _create_children(pages)
    revisions = [
        Revision(
            content_type=content_type,
            base_content_type=page_type,
            object_id=str(page.pk),
            object_str=page.title,
            content=page.serializable_data(),
            created_at=now,
            user=user,
        )
        for page in pages
    ]
    insert(Revision, revisions)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if publish else None
    # One UPDATE per batch: each page takes the revision just written for it.
    ids = [page.pk for page in pages]
    newest = Revision.objects.filter(
        base_content_type=page_type, object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("-pk")
    Page.objects.filter(pk__in=ids).update(latest_revision_id=Subquery(newest.values("pk")[:1]))
    if publish:
        Page.objects.filter(pk__in=ids).update(live_revision_id=F("latest_revision_id"))
    _log(pages, revisions, content_type, now, publish, user)
    index_for_search(model, pages)
    index_references(pages)
    return revisions


def _create_children(pages):
    """Save the in-memory child relations (e.g. a term's related cards) of new pages."""
    by_model = {}
    for page in pages:
        for relation in get_all_child_relations(page):
            for child in getattr(page, relation.get_accessor_name()).all():
                setattr(child, relation.field.attname, page.pk)
                by_model.setdefault(type(child), []).append(child)
    for child_model, children in by_model.items():
        insert(child_model, children)  # ids: the reference index names each child


def _log(pages, revisions, content_type, now, publish, user):
    """The history Wagtail's own create view writes: created, its first revision saved (the
    entry the history's preview, compare and revert actions hang on), published."""
    actions = ["wagtail.create", "wagtail.edit"] + (["wagtail.publish"] if publish else [])
    insert(
        PageLogEntry,
        [
            PageLogEntry(
                content_type=content_type,
                page_id=page.pk,
                label=page.title,
                action=action,
                timestamp=now,
                user=user,
                revision=None if action == "wagtail.create" else revision,
                content_changed=True,
                data={"source": "import_fixtures"},
            )
            for page, revision in zip(pages, revisions, strict=True)
            for action in actions
        ],
        ids=False,
    )


def index_references(objects):
    """The reference index rows Wagtail writes on each save ("used by" in the admin).

    For new objects only: there are no old rows to compare with or to clash with.
    """
    if not objects:
        return
    model = type(objects[0])
    content_type = ContentType.objects.get_for_model(model)
    base_content_type = ContentType.objects.get_for_model(
        model._meta.get_parent_list()[-1] if model._meta.get_parent_list() else model
    )
    rows = {}
    for obj in objects:
        # Private helper: the same extraction Wagtail's own signal handler uses.
        for reference in ReferenceIndex._extract_references_from_object(obj):
            to_type, to_id, model_path, content_path = reference
            content_path_hash = ReferenceIndex._get_content_path_hash(content_path)
            # One row per unique key, as the table's unique constraint requires.
            rows[(obj.pk, to_type, to_id, content_path_hash)] = ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=str(obj.pk),
                to_content_type_id=to_type,
                to_object_id=to_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=content_path_hash,
            )
    insert(ReferenceIndex, list(rows.values()), ids=False)


def create_snippets(objects):
    """Insert new snippets with their search and reference index entries, without per-save signals."""
    if not objects:
        return []
    model = type(objects[0])
    insert(model, objects)
    index_for_search(model, objects)
    index_references(objects)
    return objects


def refresh_planner_statistics(created):
    """After a bulk load, let PostgreSQL plan from statistics that know the new rows.

    Autovacuum refreshes them only some time later; until then a search at 10,000 terms was
    planned as if its tables were nearly empty (a nested loop, many times slower).
    """
    connection = connections[router.db_for_write(Page)]
    if created >= BATCH_SIZE and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- search index entries ---------------------------------------------------------------------


def index_for_search(model, objects):
    """Index new or changed ``objects`` of ``model`` in every auto-updated search backend."""
    if not objects:
        return
    for backend in get_search_backends(with_auto_update=True):
        if isinstance(backend, PostgresSearchBackend):
            _postgres_add_bulk(backend, model, objects)
        else:
            backend.add_bulk(model, objects)


def object_texts(backend, obj):
    """An object's index texts, each search field evaluated once.

    Returns ``(title, body, autocomplete)`` lists of (text, weight) pairs, grouped as the
    library's ``ObjectIndexer`` groups them: ``title`` search fields, the other search
    fields, autocomplete fields; blank texts are left out.
    """
    indexer = ObjectIndexer(obj, backend)
    title, body, autocomplete = [], [], []
    for search_field in indexer.search_fields:
        for field, weight, value in indexer.prepare_field(obj, search_field):
            text = value.strip()
            if not text:
                continue
            if isinstance(field, AutocompleteField):
                autocomplete.append((text, weight))
            elif isinstance(field, SearchField):
                (title if field.field_name == "title" else body).append((text, weight))
    return title, body, autocomplete


def _vector_sql(texts, config):
    """SQL and parameters for the weighted tsvector of ``texts``, in order."""
    if not texts:
        return "''::tsvector", []
    parts, params = [], []
    for text, weight in texts:
        if config:
            parts.append("setweight(to_tsvector(%s::regconfig, %s::text), %s)")
            params.extend((config, text, weight))
        else:
            parts.append("setweight(to_tsvector(%s::text), %s)")
            params.extend((text, weight))
    return "(" + " || ".join(parts) + ")", params


def _postgres_add_bulk(backend, model, objects):
    if not model.get_search_fields():
        return
    connection = connections[router.db_for_write(IndexEntry)]
    content_type = get_content_type_pk(model)
    rows, params = [], []
    for obj in objects:
        title, body, autocomplete = object_texts(backend, obj)
        row_params = [content_type, str(obj.pk)]
        vectors = []
        for texts, config in (
            (title, backend.config),
            (autocomplete, backend.autocomplete_config),
            (body, backend.config),
        ):
            sql, vector_params = _vector_sql(texts, config)
            vectors.append(sql)
            row_params.extend(vector_params)
        row_params.append(" ".join(text for text, _ in title))
        row_params.append(" ".join(text for text, _ in body))
        rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
        params.extend(row_params)
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body,"  # noqa: S608 - names only; texts are parameters
            " title_norm, title_text, body_text)"
            f" VALUES {', '.join(rows)}"
            " ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title,"
            " title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
            " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
            params,
        )
    # New entries start at title_norm 1.0; the library's own (private) refresh sets their value.
    backend.get_index_for_model(model)._refresh_title_norms()
