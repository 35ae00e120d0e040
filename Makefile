# jixiao: two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint examples bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The examples carry planted errors: --exit-zero keeps the demo green (bad input still fails).
demo: $(STAMP)
	$(BIN)/jixiao check examples/ --format table --exit-zero
	$(BIN)/jixiao check examples/ --format html -o jixiao-report.html --exit-zero

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples

examples: $(STAMP)
	$(BIN)/python examples/generate.py

bench: $(STAMP)
	$(BIN)/python bench/extract.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
