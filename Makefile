# Two commands on a fresh machine:
#   make lab    build the course and open JupyterLab on 127.0.0.1
#   make test   run every test
# Both create .venv and install the pinned packages on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PROXY  := classroom/node_modules/.installed
PORT   ?= 8888
# language of the releases and of JupyterLab: COURSE_LANG=ru make lab
COURSE_LANG ?= en

.PHONY: install system-deps hub-deps hub lab build check grade test bench lint lock clean bundle

$(STAMP): requirements/requirements.in requirements/constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c requirements/constraints.txt -r requirements/requirements.in
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)"
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests drive for real (chromium: the browser tests;
# libnss-wrapper: the Kubernetes image's entry point, tests/hub/test_deployment.py).
# `make test` stops here when one of them cannot be installed.
SYSTEM_PACKAGES := chromium libnss-wrapper bubblewrap

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } \
	  || { echo "system-deps: could not install" $$missing "(run as root with Debian's package registry reachable)" >&2; exit 1; }; \
	fi
	@test -x /usr/bin/chromium || { echo "system-deps: /usr/bin/chromium is missing after the install" >&2; exit 1; }

# The classroom hub's proxy (configurable-http-proxy, pinned in classroom/).
$(PROXY): classroom/package.json classroom/package-lock.json
	cd classroom && npm ci --no-audit --no-fund --silent && touch node_modules/.installed

hub-deps: $(PROXY)

# A demo classroom on this machine (root: it creates OS accounts); Ctrl-C stops it.
hub: install hub-deps
	$(BIN)/course hub demo

lab: install
	$(BIN)/course build --lang $(COURSE_LANG)
	COURSE_LANG=$(COURSE_LANG) $(BIN)/course lab --port $(PORT)

build: install
	$(BIN)/course build --lang $(COURSE_LANG)

check: install
	$(BIN)/course check

grade: install
	$(BIN)/course grade

test: install system-deps hub-deps
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/run.py

lint: install
	$(BIN)/ruff check course tests benchmarks

# An offline install (docs/offline-install.md): on a machine with access to
# the registries, write $(BUNDLE)/ with the pinned wheels of the course and
# the classroom runtime (and what builds the course package), the proxy's
# node_modules, and the Debian packages a classroom server needs with their
# dependencies, as a local apt repository.
BUNDLE      ?= /var/tmp/nps-course-bundle
BUNDLE_DEBS := bubblewrap nodejs python3-venv make
# versions from the package registry, whatever this machine has installed
APT_REPO_ONLY := -o Dir::State::status=/dev/null

bundle: install hub-deps
	@if [ -e "$(BUNDLE)" ] && [ -n "$$(ls -A "$(BUNDLE)")" ] && [ ! -d "$(BUNDLE)/wheels" ]; then \
	  echo "bundle: $(BUNDLE) holds other files: give an empty or new folder (BUNDLE=...)" >&2; exit 1; fi
	rm -rf $(BUNDLE) && mkdir -p $(BUNDLE)/wheels $(BUNDLE)/debs
	$(BIN)/pip download --quiet --disable-pip-version-check --dest $(BUNDLE)/wheels \
	  -c requirements/constraints.txt -r requirements/requirements.in
	$(BIN)/pip download --quiet --disable-pip-version-check --dest $(BUNDLE)/wheels \
	  setuptools wheel pip
	tar czf $(BUNDLE)/proxy-node_modules.tar.gz -C classroom node_modules
	cd $(BUNDLE)/debs && apt-get $(APT_REPO_ONLY) download $$(apt-cache $(APT_REPO_ONLY) depends \
	  --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
	  --no-enhances $(BUNDLE_DEBS) | grep '^[a-z0-9]' | sort -u)
	cd $(BUNDLE)/debs && dpkg-scanpackages --multiversion . /dev/null > Packages 2>/dev/null
	du -sh $(BUNDLE)

# Re-lock every package after editing requirements/requirements.in.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements/requirements.in
	{ head -3 requirements/constraints.txt; .lock-venv/bin/pip freeze; } > requirements/constraints.tmp
	mv requirements/constraints.tmp requirements/constraints.txt && rm -rf .lock-venv

clean:
	rm -rf $(VENV) autograded/*/ feedback submitted gradebook.db keys
