# The two commands of the README. Each does its own set-up: system packages
# (via apt when missing), a virtual environment and the Python packages.
VENV   := .venv
PYTHON ?= python3
STAMP  := $(VENV)/.installed-stamp

.PHONY: build test setup system clean
build: setup
	$(VENV)/bin/leaflet build

test: setup
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider

setup: system $(STAMP)

system:
	@scripts/system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build
