# The two commands of the README. Each does its own set-up: system packages
# (via apt when missing), a virtual environment holding exactly the versions
# and hashes of requirements.lock, and leaflet itself; `make test` also the
# browser tests' tools (Chromium, Java, and the npm packages pinned in
# tests/browser/package-lock.json).
VENV   := .venv
PYTHON ?= python3
LOCK   := requirements.lock
STAMP  := $(VENV)/.installed-stamp
PIP    := --disable-pip-version-check --no-input -q
# pip-tools that writes the lock; its own version is pinned here.
PIP_TOOLS := pip-tools==7.6.2
NPM_DIR   := tests/browser
NPM_STAMP := $(NPM_DIR)/node_modules/.installed-stamp

.PHONY: build test lint test-latest lock setup system browser-setup browser-system clean
build: setup
	$(VENV)/bin/leaflet build

test: setup browser-setup lint
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider

# Style and types (ruff and mypy as locked; their settings are in pyproject.toml),
# before the tests.
lint: setup
	$(VENV)/bin/ruff check --no-cache leaflet tests bench
	$(VENV)/bin/mypy

setup: system $(STAMP)

system:
	@scripts/system-deps.sh

# A new venv whenever the lock changes, so it holds the lock and nothing else.
# --no-deps + --require-hashes: every package, direct or not, is in the lock
# with its hashes; leaflet itself is built with the locked setuptools.
$(STAMP): $(LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP) --require-hashes --no-deps -r $(LOCK) \
	  || { echo "could not install $(LOCK) from PyPI (see above)" >&2; exit 1; }
	$(VENV)/bin/pip install $(PIP) --no-deps --no-build-isolation -e .
	$(VENV)/bin/pip check $(PIP)
	touch $(STAMP)

# The newest versions pyproject.toml's ranges allow, in a throwaway venv, and
# the whole suite against them: run it before `make lock`.
test-latest: system browser-setup
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install $(PIP) -e '.[test]'
	.venv-latest/bin/pip freeze --exclude-editable
	LEAFLET_UNLOCKED=1 .venv-latest/bin/python -m pytest -q -p no:cacheprovider

# Refresh the lock: the newest versions the ranges allow, with their hashes.
# Then `make test` (it rebuilds .venv from the new lock) and commit the lock.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install $(PIP) $(PIP_TOOLS)
	.venv-lock/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe \
	  --strip-extras --extra test --build-deps-for editable \
	  --no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml
	rm -rf .venv-lock

browser-setup: browser-system $(NPM_STAMP)

browser-system: system
	@scripts/system-deps.sh --browser

# Exactly the locked versions; no install scripts (vnu-jar's would download a
# Java runtime: the Nu HTML Checker runs with the system's java).
$(NPM_STAMP): $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json | browser-system
	cd $(NPM_DIR) && npm ci --ignore-scripts --no-audit --no-fund \
	  || { echo "npm could not install the browser test tools of $(NPM_DIR)/package-lock.json" \
	       "from the npm registry (see above)" >&2; exit 1; }
	touch $(NPM_STAMP)

clean:
	rm -rf build .venv-latest .venv-lock .mypy_cache
