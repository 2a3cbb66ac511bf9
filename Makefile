# Two commands: `make demo` and `make test`. Both build .venv from requirements.txt first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := app

.PHONY: demo test venv clean

venv: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q

demo: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

clean:
	rm -rf $(VENV) instance .pytest_cache
