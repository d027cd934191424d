# Two commands on a fresh machine:  `make demo` (set up, run the demo scenarios)  and  `make test`.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup setup-test demo test lint bench clean

setup:
	bash scripts/setup.sh run

setup-test:
	bash scripts/setup.sh test

demo: setup
	$(BIN)/pagesight doctor
	$(BIN)/pagesight run scenarios/

test: setup-test
	$(BIN)/python -m pytest -n 2 -q -rs

lint: setup-test
	$(BIN)/ruff check agent vision browser tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) pagesight-report .pytest_cache
