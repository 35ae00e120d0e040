# jixiao: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint examples bench clean serve web-assets fast test-fast bench-fast

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Front-end libraries of the web app (htmx, ECharts, Swagger UI) from the npm registry, never
# committed. Without npm the web app still works: no charts, no in-place updates.
FRONTEND := src/jixiao/web/frontend
WEB_STAMP := $(FRONTEND)/node_modules/.installed

$(WEB_STAMP): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(FRONTEND) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch node_modules/.installed; \
	else \
		echo "warning: npm not found: the web app runs without charts (install Node.js, then make web-assets)" >&2; \
	fi

web-assets: $(WEB_STAMP)

# The web app on a fresh SQLite database holding the examples: http://127.0.0.1:8000/
HOST ?= 127.0.0.1
PORT ?= 8000
SERVE_DIR := out/serve
serve: $(STAMP) $(WEB_STAMP)
	rm -rf $(SERVE_DIR)
	$(BIN)/python -m jixiao.store load --db $(SERVE_DIR)/jixiao.db examples/
	$(BIN)/jixiao serve --db $(SERVE_DIR)/jixiao.db --host $(HOST) --port $(PORT)

# The examples carry planted errors: --exit-zero keeps the demo green (bad input still fails).
demo: $(STAMP)
	$(BIN)/jixiao check examples/ --format table --exit-zero
	$(BIN)/jixiao check examples/ --format html -o jixiao-report.html --exit-zero

test: $(STAMP) $(WEB_STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples setup.py
	$(BIN)/ruff format --check src tests bench examples setup.py

examples: $(STAMP)
	$(BIN)/python examples/generate.py

bench: $(STAMP)
	$(BIN)/python bench/extract.py

# The compiled build (setup.py: the hot modules through mypyc), the same source about 1.3x
# faster, in its own environment: an editable install cannot hold compiled modules (a stale
# extension would shadow later edits of its .py). Rebuilt whenever a source file changes.
FAST := .venv-fast
FAST_STAMP := $(FAST)/.installed
$(FAST_STAMP): pyproject.toml setup.py $(shell find src/jixiao -name '*.py' -not -path '*/node_modules/*')
	test -x $(FAST)/bin/python || $(PYTHON) -m venv $(FAST)
	$(FAST)/bin/python -m pip install --quiet --upgrade pip 'setuptools>=68' wheel
	$(FAST)/bin/python -m pip install --quiet '.[dev]'
	JIXIAO_MYPYC=1 $(FAST)/bin/python -m pip install --quiet --no-build-isolation --no-deps --force-reinstall .
	rm -rf build
	touch $(FAST_STAMP)

fast: $(FAST_STAMP)
	@echo "compiled build ready: $(FAST)/bin/jixiao"

# the whole suite again on the compiled build: mypyc enforces the annotations at run time
test-fast: $(FAST_STAMP) $(WEB_STAMP)
	$(FAST)/bin/python -m pytest -q

bench-fast: $(FAST_STAMP)
	$(FAST)/bin/python bench/extract.py
	$(FAST)/bin/python bench/check.py

clean:
	rm -rf $(VENV) $(FAST) build *.egg-info src/*.egg-info $(FRONTEND)/node_modules
