# The two commands of the README. Each does its own set-up: system packages
# (via apt when missing), a virtual environment and the Python packages;
# `make test` also the browser tests' tools (Chromium, Java, and the npm
# packages pinned in tests/browser/package-lock.json).
VENV   := .venv
PYTHON ?= python3
STAMP  := $(VENV)/.installed-stamp
NPM_DIR   := tests/browser
NPM_STAMP := $(NPM_DIR)/node_modules/.installed-stamp

.PHONY: build test setup system browser-setup browser-system clean
build: setup
	$(VENV)/bin/leaflet build

test: setup browser-setup
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider

setup: system $(STAMP)

system:
	@scripts/system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

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
	rm -rf build
