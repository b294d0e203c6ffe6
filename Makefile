# Two entry points for a fresh machine: `make run` (set up, ingest, chat) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
ADVISER := $(VENV)/bin/adviser
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup model ingest run chat test lint bench

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# Pinned: this version comes as a CPU wheel from local disk; a looser pin pulls CUDA builds.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed model

model: $(VENV)/.installed
	$(ADVISER) model build

ingest: setup
	$(ADVISER) ingest

run: ingest
	$(ADVISER) chat

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

bench: ingest
	$(PY) bench/retrieval.py
	$(PY) bench/notes.py
	$(PY) bench/agent.py
	$(PY) bench/bot.py
