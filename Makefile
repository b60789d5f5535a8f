# Two commands matter: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test lint checks bench bench-smoke bench-serve bench-serve-smoke bench-scale \
	bench-scale-smoke install clean

$(STAMP): pyproject.toml constraints.txt package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt ".[test]"
	@# The checkers (vnu-jar, axe-core, Mozilla's HTTP Observatory scanner); their tests skip
	@# without npm. No install scripts: the scanner's would download its HSTS preload list
	@# from the internet; an empty list is right for a site scanned on this machine.
	if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --silent && \
		echo '{}' > node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json; fi
	touch $(STAMP)

install: $(STAMP)

## Fresh machine to a running site at http://127.0.0.1:8000/ with the fixtures loaded, and one
## task worker beside it (`manage.py worker`: scheduled publishing, related terms, downloads,
## Wagtail's indexes); Ctrl-C stops both.
run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) import_fixtures fixtures/
	$(MANAGE) ensure_admin
	$(MANAGE) run_site 127.0.0.1:8000

## The whole suite: on SQLite, or on PostgreSQL when DATABASE_URL points there.
## TEST_WORKERS processes (pytest-xdist, one per core by default; tests/conftest.py says how
## tests are shared out); TEST_ARGS adds pytest options (e.g. -m "not external").
TEST_WORKERS ?= auto
TEST_ARGS ?=
test: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -p no:cacheprovider \
		-n $(TEST_WORKERS) $(TEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Migrations in step with models, and production settings that pass Django's deploy checks.
checks: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=ci-$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n') \
		ALLOWED_HOSTS=glossary.example.com REDIS_URL=redis://127.0.0.1:6379/0 \
		$(MANAGE) check --deploy --fail-level WARNING

## The benchmarks at full size: import (10,000 terms, 1,000 articles; SQLite and PostgreSQL), linked terms.
bench: $(STAMP)
	$(BIN)/python -m bench.import_benchmark
	$(BIN)/python -m bench.linking_benchmark
	$(BIN)/python -m bench.relevance
	$(BIN)/python -m bench.parsers

## Serving at 10,000 terms on PostgreSQL: cold, warm, Varnish, nginx, then Lighthouse's four
## scores on a term and an article page; writes bench/RESULTS.md.
## Needs wrk, varnish and nginx (Debian packages; .ci/run installs them).
bench-serve: $(STAMP)
	$(BIN)/python -m bench.serve_benchmark
	$(BIN)/python -m bench.lighthouse

## The serving benchmark on a tiny corpus, to show that it works (CI runs this): every server
## and every measure once, briefly (what the servers serve is tests/core/test_serving.py's).
bench-serve-smoke: $(STAMP)
	$(BIN)/python -m bench.serve_benchmark --terms 60 --articles 10 --duration 1 --samples 3 --out -

## The same benchmarks, small, to show that they work (CI runs this). Each runs once and each
## kind of throwaway database is made once (the import on PostgreSQL, relevance on SQLite): a
## second database only repeats the same code; the suite holds the relevance set on both
## (tests/search/test_relevance.py) and imports on both.
bench-smoke: $(STAMP)
	$(BIN)/python -m bench.import_benchmark --terms 60 --articles 10 --repeat 1 --databases postgresql
	$(BIN)/python -m bench.linking_benchmark --terms 500 --repeat 20
	$(BIN)/python -m bench.relevance --filler 60 --no-out --databases sqlite

## The site at 100,000 terms and 5,000 articles on PostgreSQL (issue 20): import, the editor's
## publish (and at 1,000 terms, for the ratio), time until all is current, memory, first hits,
## a burst of publishes, the admin import of 10,000 files; writes bench/RESULTS.md. Long: the
## import alone may take many minutes. BENCH_SCALE_ARGS adds options (e.g. --label baseline).
bench-scale: $(STAMP)
	$(BIN)/python -m bench.scale $(BENCH_SCALE_ARGS)

## The same, on a tiny corpus, to show that it works (CI runs this): both sizes, every measure,
## a short burst and a small admin import.
bench-scale-smoke: $(STAMP)
	$(BIN)/python -m bench.scale --terms 200 --articles 20 --small 50 --samples 3 --burst 5 \
		--import-files 20 --fresh-timeout 120 --out -

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles var
