# One entry point for people and CI. `make run` and `make test` are the README's two commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test check lint types pytest validate chromium export bench clean serve serve-stop loadtest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed  ## install everything and run the dashboard on http://localhost:8501
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Browser tests need Debian's chromium; install it when we can (root + apt-get), else the
# browser tests skip with a note (and fail under CI=1).
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi

test: $(VENV)/.installed chromium check pytest  ## install everything and run every check

check: $(VENV)/.installed  ## format, lint, types (fast)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

validate: $(VENV)/.installed
	$(BIN)/python -m dashlib validate data

pytest: $(VENV)/.installed
	$(BIN)/python -m pytest

export: $(VENV)/.installed
	$(BIN)/python -m dashlib export build/embeds

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache

bench: $(VENV)/.installed  ## benchmarks (under 10 min): writes bench/results.json and bench/RESULTS.md
	$(BIN)/python -m bench.run

# Replicas behind HAProxy (deploy/): `make serve` returns once the balancer answers
# /_stcore/health; pids in run/. SERVE_PORT defaults to 8080 (PORT=... also works).
REPLICAS ?= $(shell nproc 2>/dev/null || echo 2)
SERVE_PORT ?= $(if $(filter command line environment,$(origin PORT)),$(PORT),8080)
EDITOR_PORT ?= 0

serve: $(VENV)/.installed  ## REPLICAS (default: cores) Streamlit processes behind HAProxy on 127.0.0.1:8080
	$(BIN)/python deploy/serve.py start --replicas $(REPLICAS) --port $(SERVE_PORT) --editor-port $(EDITOR_PORT)

serve-stop:  ## stop what `make serve` started (by the pids in run/)
	$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) deploy/serve.py stop

READERS ?= 20
URL ?= http://127.0.0.1:$(SERVE_PORT)
loadtest: $(VENV)/.installed  ## READERS concurrent readers against URL (default: make serve's balancer)
	$(BIN)/python -m bench.loadtest --url $(URL) --readers $(READERS)
