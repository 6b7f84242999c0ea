# massline — everything a person does is a make target.
#   make demo    set up and serve the demo city on http://127.0.0.1:$(PORT)
#   make test    lint, type-check, migration check, dependency audit, the suite on SQLite (and PostgreSQL if DATABASE_URL is set)
#   make lint    ruff (lint + format check), mypy (src and bench), makemigrations --check
#   make bench   the benchmarks in bench/, each printing its figures (BENCH_DATABASE_URL=postgres://… for 1M appeals)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-stamp

.PHONY: messages-update install demo test test-sqlite test-postgres lint format bench messages system-deps browser-deps clean audit-deps

$(STAMP): pyproject.toml requirements/lock.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements/lock.txt
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: system-deps $(STAMP) messages

# GNU gettext compiles the translation catalogues; WeasyPrint's PDFs need Pango and a font with Chinese glyphs.
system-deps:
	@command -v msgfmt >/dev/null 2>&1 && test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc \
	  && ldconfig -p | grep -q libpango-1.0 || { \
	  echo "installing gettext, Pango and a Chinese font from the system's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-wqy-microhei >/dev/null; }

# The browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser-deps:
	@test -x /usr/bin/chromium || { \
	  echo "installing chromium from the system's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

messages: $(STAMP)
	@cd src/massline && ../../$(BIN)/massline compilemessages -v0

# Refresh both catalogues from the code; English entries get their source text. Then translate zh_Hans.
messages-update: $(STAMP)
	cd src/massline && ../../$(BIN)/django-admin makemessages -l zh_Hans -l en -e html,txt,py --no-location --no-obsolete -v0
	$(BIN)/python -m massline.core.i18n_fill_english src/massline/locale/en/LC_MESSAGES/django.po
	@$(MAKE) --no-print-directory messages

demo: install
	$(BIN)/massline demo --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	$(BIN)/mypy
	$(BIN)/mypy bench  # the benchmarks and the crash harness call the services: their signatures are checked too
	DJANGO_SETTINGS_MODULE=massline.settings.test $(BIN)/massline makemigrations --check --dry-run -v1

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench conftest.py
	$(BIN)/ruff format src tests bench conftest.py

test-sqlite: install browser-deps
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=massline.settings.test $(BIN)/pytest -n 2 -p no:cacheprovider

test-postgres: install browser-deps
	@test -n "$(DATABASE_URL)" || { echo "DATABASE_URL is not set: skipping the PostgreSQL run"; exit 0; }
	DJANGO_SETTINGS_MODULE=massline.settings.test $(BIN)/pytest -n 2 -p no:cacheprovider

# Known vulnerabilities in the locked dependencies (pip-audit). Fails when no vulnerability service answers,
# unless MASSLINE_AUDIT_OFFLINE=1 (docs/decisions/0014-dependency-audit.md).
audit-deps: $(STAMP)
	$(BIN)/python requirements/audit.py

test: lint audit-deps test-sqlite
	@if [ -n "$(DATABASE_URL)" ]; then $(MAKE) --no-print-directory test-postgres; \
	 else echo "DATABASE_URL is not set: the suite ran on SQLite only"; fi

# The hot paths run at the scale of their budgets, 1,000,000 appeals, when the benchmarks are given PostgreSQL
# (BENCH_DATABASE_URL=postgres://…, generated with COPY); on the embedded SQLite at 100,000. SCALE_APPEALS=N overrides.
SCALE_APPEALS ?= $(if $(findstring postgres,$(BENCH_DATABASE_URL)),1000000,100000)
SCALED := bench/bench_appeals.py bench/bench_scorecards.py

bench: install
	@for script in bench/bench_*.py; do echo "== $$script"; \
	  case " $(SCALED) " in *" $$script "*) scale="BENCH_APPEALS=$(SCALE_APPEALS)";; *) scale="";; esac; \
	  env $$scale $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var
