# The B2B dealer portal suite. `make run` and `make test` are all a new user needs.
PYTHON := .venv/bin/python
SUITE  := $(PYTHON) runtime/suite.py

.PHONY: run test stop shell bench setup pg-status

## set up what is missing (Debian packages, virtualenv), then create or upgrade database b2b, start
## the Bitrix24 stand-in on 127.0.0.1:8075 in the background and connect b2b to it (unless b2b is
## connected to another Bitrix24), and serve Odoo on http://127.0.0.1:8069 in the foreground
run: setup
	$(SUITE) run

## the same set-up, then a throw-away database with the suite's addons under Odoo's test runner,
## and pytest on the plain-Python tests; ends with "N passed, M failed"
test: setup
	$(SUITE) test

## stop the Odoo started by `make run`, its Bitrix24 stand-in and the embedded PostgreSQL
stop:
	@if [ -x $(PYTHON) ]; then $(SUITE) stop; else python3 runtime/pg.py stop; fi

## an Odoo shell on database b2b
shell: setup
	$(SUITE) shell

## benchmarks (bench/*.py), one BENCH line per figure
bench: setup
	$(PYTHON) bench/run.py

setup:
	@bash runtime/bootstrap.sh

pg-status:
	@python3 runtime/pg.py status
