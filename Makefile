# Two commands: `make demo` and `make test`. Both build .venv from requirements.txt first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := app

.PHONY: demo test venv browser services clean

venv: $(STAMP)

# Browser tests drive Debian's Chromium; install it when missing (CI and developers run as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The task-queue tests start their own redis-server on loopback; install Debian's when missing.
services:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing Debian's redis-server for the task-queue tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

test: $(STAMP) browser services
	$(BIN)/python -m pytest -q

demo: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	SCHEDULER_ENABLED=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

clean:
	rm -rf $(VENV) instance .pytest_cache
