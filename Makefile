# One entry point for people and CI. `make run` and `make test` are the README's two commands.
# Both install exactly what uv.lock pins (with hashes) into .venv, on any CPU, then run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

# uv itself is pinned with hashes in requirements/uv.txt and lives in its own small venv, so
# `uv sync` (which removes whatever the lock does not list) never uninstalls it.
UV_HOME := .uv
UV := $(UV_HOME)/bin/uv
# Never download a Python: use the machine's (3.11+); the lock is resolved for every platform.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: run test test-fast check pytest validate chromium export bench clean install lock upgrade sync serve serve-stop loadtest

$(UV): requirements/uv.txt
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/uv.txt
	touch $@

# Always sync (about 0.1 s when nothing changed): the venv follows uv.lock whenever it changes,
# and a broken or hand-modified venv is put back. --locked fails if pyproject.toml and uv.lock
# disagree (run `make lock`).
sync: $(UV)
	$(UV) sync --locked --all-extras --quiet

install: sync

lock: $(UV)  ## re-resolve uv.lock after changing a dependency in pyproject.toml
	$(UV) lock

upgrade: $(UV)  ## move every pin to the newest release the ranges in pyproject.toml allow
	$(UV) lock --upgrade

run: sync  ## install everything and run the dashboard (with link previews) on http://localhost:8501
	$(BIN)/streamlit run serve_app.py --server.port $(PORT)

# Browser tests need Debian's chromium, the replica tests Debian's haproxy; install them when we
# can (root + apt-get), else those tests are skipped with a note (and fail under CI=1).
chromium:
	@if { [ ! -x /usr/bin/chromium ] || ! command -v haproxy >/dev/null; } \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium haproxy; fi

test: sync chromium check pytest  ## install everything and run every check

check: sync  ## format, lint, types (fast)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

validate: sync
	$(BIN)/python -m dashlib validate data

pytest: sync
	$(BIN)/python -m pytest

test-fast: sync  ## unit tests and AppTest only (no browser, no slow builds): under 2 minutes
	$(BIN)/python -m pytest -m "not browser and not slow" -q

export: sync
	$(BIN)/python -m dashlib export build/embeds

clean:
	rm -rf $(VENV) $(UV_HOME) build .pytest_cache .mypy_cache .ruff_cache

bench: sync  ## benchmarks (under 10 min): writes bench/results.json and bench/RESULTS.md
	$(BIN)/python -m bench.run

# Replicas behind HAProxy (deploy/): `make serve` returns once the balancer answers
# /_stcore/health; pids in run/. SERVE_PORT defaults to 8080 (PORT=... also works).
REPLICAS ?= $(shell nproc 2>/dev/null || echo 2)
SERVE_PORT ?= $(if $(filter command line environment,$(origin PORT)),$(PORT),8080)
EDITOR_PORT ?= 0
# The address readers use (link previews name it); default: the Host each request names.
PUBLIC_URL ?=

serve: sync  ## REPLICAS (default: cores) Streamlit processes behind HAProxy on 127.0.0.1:8080, with link previews
	$(BIN)/python deploy/serve.py start --replicas $(REPLICAS) --port $(SERVE_PORT) --editor-port $(EDITOR_PORT) $(if $(PUBLIC_URL),--public-url $(PUBLIC_URL))

serve-stop:  ## stop what `make serve` started (by the pids in run/)
	$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) deploy/serve.py stop

READERS ?= 20
URL ?= http://127.0.0.1:$(SERVE_PORT)
loadtest: sync  ## READERS concurrent readers against URL (default: make serve's balancer)
	$(BIN)/python -m bench.loadtest --url $(URL) --readers $(READERS)
