# The two set-up commands (README): `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_CUSTOMERS ?= 2000
DEMO_MONTHS    ?= 24

.PHONY: run test lint typecheck pytest browser bench screenshots portal-screenshots clean \
        translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installed-ness is tracked by stamp files so a changed pyproject.toml reinstalls.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

# Under an X display, Qt's xcb plugin needs X libraries the wheel does not ship: the check
# installs them as root on Debian, or prints the apt-get line and stops.
run: $(VENV)/.installed-run
	$(BIN)/python tools/check_qt_libs.py --install
	$(BIN)/ebs db upgrade
	$(BIN)/ebs demo --customers $(DEMO_CUSTOMERS) --months $(DEMO_MONTHS) --if-empty
	$(BIN)/ebs-desktop

lint: $(VENV)/.installed-test
	$(BIN)/ruff check ebs_desktop tests tools db

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# The portal's browser tests drive Debian's chromium (Playwright's own download is not
# reachable): the check installs it as root on Debian, or prints the apt-get line and stops.
browser: $(VENV)/.installed-test
	$(BIN)/python tools/check_browser.py --install

pytest: $(VENV)/.installed-test browser
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest $(PYTEST_ARGS)

# Every portal page at desktop and phone widths, into docs/screenshots/portal/.
portal-screenshots: $(VENV)/.installed-test browser
	$(BIN)/python -m tools.portal_screenshots docs/screenshots/portal

test: lint typecheck pytest

bench: $(VENV)/.installed-test
	$(BIN)/python -m tools.bench all

screenshots: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ebs_desktop.gui.screenshots docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info

# Qt translations: refresh the .ts from the sources, then compile the .qm the app loads.
translations: $(VENV)/.installed-test
	$(BIN)/pyside6-lupdate $$(find ebs_desktop/gui -name '*.py') -ts resources/translations/ebs_fr.ts
	$(BIN)/pyside6-lrelease resources/translations/ebs_fr.ts -qm resources/translations/ebs_fr.qm
