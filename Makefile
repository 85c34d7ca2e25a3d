# Two entry points: `make run` serves the app on the bundled sample, `make test` is the one gate.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# This computer only: without [auth] in secrets the app runs in local mode, as a data admin.
ADDRESS ?= 127.0.0.1

.PHONY: run test lint sample screenshots briefing clean cluster

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT) \
		--server.maxUploadSize $${DASHBOARD_MAX_UPLOAD_MB:-100}

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Two pytest-xdist workers (CI has 2 cores), each taking a whole test file at a time (module and session
# fixtures made once per worker) in collection order: the browser tests, the longest files, first.
# TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
test: lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

sample: $(VENV)/.installed
	$(BIN)/python -m dashboard generate --out data/sample

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts

screenshots: $(VENV)/.installed-dev
	$(BIN)/python -m scripts.screenshots

# The briefing of 개요 over the bundled sample, and a picture of its first page for the README.
briefing: $(VENV)/.installed
	DASHBOARD_DATA_DIR=data/sample $(BIN)/python -m dashboard briefing --out docs/briefing-sample.pdf
	pdftoppm -png -r 80 -f 1 -l 1 -singlefile docs/briefing-sample.pdf docs/briefing-sample
# REPLICAS app processes (default 2) behind HAProxy on PORT (default 8500), sharing moto's S3 store; Ctrl-C stops all.
REPLICAS ?= 2
cluster: $(VENV)/.installed-dev
	REPLICAS=$(REPLICAS) PORT=$(if $(filter 8501,$(PORT)),8500,$(PORT)) $(BIN)/python -m deploy.cluster
