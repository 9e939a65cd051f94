# The two commands a newcomer needs: `make run` and `make test`. Python 3.11 is all they need.
PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint format install install-dev seed messages clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e ".[dev]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages --locale zh_Hans --locale en --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --ignore "benchmarks/*" --ignore "static/*" --ignore "scripts/*" --no-obsolete
	$(PY) scripts/fill_en_catalogue.py
	$(PY) manage.py compilemessages --ignore ".venv/*"

seed: $(VENV)/.installed
	$(PY) manage.py seed_demo

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles
