# Colederma back-office: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi

.PHONY: venv venv-test run serve test clean bench bench-load

## venv: create .venv and install requirements.txt (again only when it changes)
venv: $(VENV)/.installed

## venv-test: the same plus requirements-test.txt
venv-test: $(VENV)/.installed-test

$(VENV_PYTHON):
	$(PYTHON) -m venv $(VENV) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: requirements.txt | $(VENV_PYTHON)
	$(VENV_PYTHON) -m pip install --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed | $(VENV_PYTHON)
	$(VENV_PYTHON) -m pip install --disable-pip-version-check -r requirements-test.txt
	touch $@

## run: migrate the embedded SQLite database, load the demo data, then serve on
## 127.0.0.1:$PORT (5000) beside a Celery worker and the beat (Procfile, run by honcho; the
## broker is a SQLite file, instance/celery.db: no server to install). Ctrl-C stops all three.
run: venv
	mkdir -p instance
	unset FLASK_DEBUG; export APP_ENV=development; \
	export PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://127.0.0.1:$${PORT:-5000}}"; \
	export WEB_PORT="$${PORT:-5000}"; \
	$(FLASK) db upgrade && \
	$(FLASK) seed-demo && \
	exec $(VENV)/bin/honcho -f Procfile start

## serve: the production server: gunicorn with gunicorn.conf.py (threaded workers, one per core,
## 4 threads each; WEB_WORKERS, WEB_THREADS, WEB_BIND or PORT change it) on 127.0.0.1:$PORT
## (8000), APP_ENV=production. Needs SECRET_KEY and DATABASE_URL (README, Configuration);
## migrates first. Put a reverse proxy (TLS, static files) in front; Celery runs apart.
serve: venv
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY (and DATABASE_URL), see README"; exit 2; }
	export APP_ENV=production; unset FLASK_DEBUG; \
	$(FLASK) db upgrade && \
	exec $(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

## test: system packages, then the suite on SQLite, on a throwaway MariaDB, and in Chromium
test: venv-test
	bash scripts/install-system-deps.sh
	bash scripts/test-all.sh

## clean: remove the virtualenv, the local database, pytest caches, MariaDB test data and the
## benchmark's cached databases
clean:
	-bash scripts/mariadb.sh stop
	rm -rf $(VENV) instance/colederma.db .mariadb .bench-cache
	find . -path ./.git -prune -o -type d -name .pytest_cache -prune -exec rm -rf {} +

## bench: time the report, dashboard and list endpoints on a generated busy year (1M order
## items, 200k appointments …; bench/dataset.py builds it once into .bench-cache/ with a
## progress bar) and write bench/RESULTS.md: SQL statements at length 10 and 100, p50/p95 ms,
## bytes, and beside each endpoint the same page's SELECTs replayed bare and behind a bare Flask
## route (ratios from the same run), and the query plans. Environment:
##   BENCH_DB=sqlite (default) | mariadb (the throwaway server of scripts/mariadb.sh: a running
##            one is used and kept, with its loaded bench database; else one is started and
##            stopped again)
##   BENCH_SCALE=1 (full size) | 0.01 … for a quick run;  BENCH_REPEATS=15;  BENCH_ONLY=text
bench: venv-test
	$(VENV_PYTHON) -m bench.run

## bench-load: requests per second of `make serve`'s gunicorn against a bare Flask app doing one
## SELECT on the same bench database (bench/load.py, locust headless, 30 s per scenario):
## menus/{id} and a mix of list pages; written to bench/RESULTS.md. BENCH_DB, BENCH_SCALE as
## for bench; BENCH_LOAD_SERVERS=all compares sync and gthread settings; BENCH_LOAD_SECONDS,
## BENCH_LOAD_USERS (32)
bench-load: venv-test
	$(VENV_PYTHON) -m bench.load
