# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench screenshots clean

# uv installs the project and its test tools in about 5 s where pip's resolver takes about 40 (a
# third of a clean `make test`); where uv cannot be had, pip does it. The pip that comes with the
# venv is used as it is (upgrading it cost 5-10 s) and does not ask whether it is the newest.
# Both compile the libraries once, at install (uv only when asked): without it every process the
# tests start compiled Textual, Rich and the rest again.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install --quiet uv \
		&& $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]' \
		|| PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pumptui demo

# Four workers on a 2-core machine: the suite waits on loopback servers and timers more than it
# computes (two workers kept the cores 67 % busy: 3:29 warm; three 3:13; four 2:10-2:50, cores 90 %
# busy); `worksteal` keeps them all busy to the end. A test that waits must wait for what it
# reads (a screen composed, not just pushed), never for a time. The type
# check (10 s from a cold cache) runs beside the tests, in the time their workers start up and
# wait; its report follows theirs, and either failing fails the target.
# Compiled modules are written (to __pycache__, ignored by git) even where the environment says
# not to (PYTHONDONTWRITEBYTECODE): else every `pumptui` process a test starts compiled pumptui
# again (its imports: 2.0 s, 1.2 s compiled), and each later run's workers the tests too
# (collecting them: 11 s, 4 s compiled).
test: export PYTHONDONTWRITEBYTECODE :=
test: $(STAMP)
	$(BIN)/ruff check pumptui tests benchmarks scripts
	$(BIN)/ruff format --check pumptui tests benchmarks scripts
	$(BIN)/lint-imports
	@$(BIN)/mypy > $(VENV)/mypy.log 2>&1 & typecheck=$$!; \
	$(BIN)/python -m pytest -q -n 4 --dist worksteal; tests=$$?; \
	wait $$typecheck; types=$$?; \
	echo "$(BIN)/mypy"; cat $(VENV)/mypy.log; \
	test $$tests -eq 0 && test $$types -eq 0

lint: $(STAMP)
	$(BIN)/ruff check pumptui tests benchmarks scripts
	$(BIN)/ruff format --check pumptui tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/sim_throughput.py

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
