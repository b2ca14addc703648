# `make kit` builds the default kit into output/, `make check` validates its content, `make test`
# runs the tests, `make golden` regenerates the expected images, `make bench` compares kit with the
# bare libraries, `make constraints` re-pins constraints.txt, `make clean` deletes output/.
# Each sets up a virtual environment in .venv first (Python 3.11+ and weasyprint's system libraries).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
# The default kit ships inside the package (kit new --template comptoir copies it); make kit builds it here.
DEFAULT_KIT := kit/starter_kits/comptoir
# Python keeps compiled modules beside the sources, but not where it may not write them
# (PYTHONDONTWRITEBYTECODE, some CI and managed machines): there every kit process and each of
# its render workers compiles kit's modules again, a third of a second a build. Compiled here,
# incrementally (a tenth of a second when nothing changed), before each command.
BYTECODE := $(BIN)/python -m compileall -q kit

.PHONY: kit test check bench golden constraints clean

kit: $(STAMP)
	$(BYTECODE)
	$(BIN)/kit build --kit $(DEFAULT_KIT) --out output

test: $(TEST_STAMP)
	$(BYTECODE)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BYTECODE)
	$(BIN)/kit check --kit $(DEFAULT_KIT)

bench: $(BENCH_STAMP)
	$(BYTECODE)
	$(BIN)/python bench/run.py

# Regenerate the expected images the look tests compare against (review the diff before committing).
golden: $(TEST_STAMP)
	KIT_REGENERATE_GOLDEN=1 $(BIN)/python -m pytest tests -k golden

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# constraints.txt pins the versions the tests and expected images were made with, so a fresh
# machine renders the same pages; refresh it deliberately with `make constraints`.
$(STAMP): pyproject.toml constraints.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): pyproject.toml constraints.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP) $@

# The benchmark also installs the peer tools it compares kit with (the `bench` extra).
$(BENCH_STAMP): pyproject.toml constraints.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	touch $(STAMP) $(TEST_STAMP) $@

constraints: $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade -e '.[test]'
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf output .pytest_cache
