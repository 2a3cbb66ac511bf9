# Two commands: `make demo` and `make test`. Both build .venv from requirements.txt first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := app

.PHONY: demo test test-sqlite test-postgresql audit venv browser services clean

venv: $(STAMP)

# Browser tests drive Debian's Chromium; install it when missing (CI and developers run as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Servers the suite starts for itself on loopback: PostgreSQL (a second full run, the copy and
# connection-drop tests) and Redis (the task queue and shared rate limits). Install when missing.
services:
	@need=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	command -v redis-server >/dev/null 2>&1 || need="$$need redis-server"; \
	if [ -n "$$need" ]; then \
	  echo "Installing Debian's$$need for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	fi

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

# The dependency audit, then the whole suite twice: on SQLite (the default), then on a
# throwaway PostgreSQL server.
test: audit test-sqlite test-postgresql

# pip-audit lives in a venv of its own, so its dependencies never reach the app's.
.venv-audit/.installed: requirements-audit.txt
	$(PYTHON) -m venv .venv-audit
	.venv-audit/bin/pip install --quiet -r requirements-audit.txt
	touch $@

audit: .venv-audit/.installed
	scripts/audit

test-sqlite: $(STAMP) browser services
	$(BIN)/python -m pytest -q

test-postgresql: $(STAMP) browser services
	@url=$$(scripts/test-postgres start) && echo "PostgreSQL run against $$url" && \
	TEST_DATABASE_URL=$$url $(BIN)/python -m pytest -q; \
	status=$$?; scripts/test-postgres stop; exit $$status

demo: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	SCHEDULER_ENABLED=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

clean:
	rm -rf $(VENV) .venv-audit instance .pytest_cache
