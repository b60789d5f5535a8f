"""What an import does with a record: the report's verbs. A module of its own, importing
nothing, so that the report (and the benchmark reading it) load without Django set up."""

CREATE, UPDATE, UNCHANGED, SKIP, FAILED = "created", "updated", "unchanged", "skipped", "failed"
VERBS = (CREATE, UPDATE, UNCHANGED, SKIP, FAILED)
