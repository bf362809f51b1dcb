# Two commands on a fresh machine: `make run` and `make test`. Everything else is a convenience.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB := data/basira.duckdb
PORT ?= 8501

.PHONY: run test data install install-dev bench screenshots check clean-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

data: $(VENV)/.installed
	$(BIN)/python -m basira build-default

run: data
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

check: $(VENV)/.installed
	$(BIN)/python -m basira check

SIZE ?= 10000
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench $(SIZE)

screenshots: $(VENV)/.installed-dev data
	$(BIN)/python -m tests.browser.screenshots

clean-data:
	rm -f data/basira*.duckdb data/.basira*
