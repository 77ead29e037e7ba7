# Two commands a newcomer needs: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := index/samples/hf-papers-sample.txt
DEMO_DIR ?= .paperdeck-demo
N ?= 10000
CORPUS ?= auto
BENCH_ARGS ?=
STRESS_RUNS ?= 10
STRESS_TESTS := tests/reader tests/citations/test_reader_citations.py tests/faults/test_faults.py \
	tests/library/test_bookmarks.py

.PHONY: run test lint format bench fuzz stress clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/paperdeck --data-dir $(DEMO_DIR) $(SAMPLE)

test: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	@# mypy reads the packages as installed names (paperdeck.index, paperdeck.tui) through links.
	mkdir -p $(VENV)/typecheck/paperdeck
	ln -sfn ../../../index $(VENV)/typecheck/paperdeck/index
	ln -sfn ../../../tui $(VENV)/typecheck/paperdeck/tui
	cd $(VENV)/typecheck && ../bin/mypy --config-file ../../pyproject.toml -p paperdeck.index -p paperdeck.tui
	$(BIN)/python -m pytest -n 2 -q

lint: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The bench's references (tantivy, scikit-learn): the `bench` extra, never needed by `make test`.
$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

bench: $(VENV)/.bench-installed
	@# Bytecode as any second start has it (this sandbox sets PYTHONDONTWRITEBYTECODE).
	$(BIN)/python -m compileall -q index tui bench
	$(BIN)/python -m bench.run --papers $(N) --corpus $(CORPUS) $(BENCH_ARGS)

# The property tests at length, then the damage matrix: every file the library writes x each
# kind of damage x each command (tests/faults/test_fuzz_damage.py; `make test` runs a sample of it).
fuzz: $(VENV)/.installed
	HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest -q tests -k "property" --hypothesis-show-statistics
	$(BIN)/python -m pytest -q -m fuzz tests/faults/test_fuzz_damage.py

# The reader and concurrency tests STRESS_RUNS times in a row, with `make test`'s parallelism;
# stops at the first failure (a flaky test is a defect).
stress: $(VENV)/.installed
	@for i in $$(seq $(STRESS_RUNS)); do \
		echo "stress: run $$i of $(STRESS_RUNS)"; \
		$(BIN)/python -m pytest -n 2 -q -x $(STRESS_TESTS) || { echo "stress: run $$i failed"; exit 1; }; \
	done; echo "stress: $(STRESS_RUNS) runs passed"

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .ruff_cache
