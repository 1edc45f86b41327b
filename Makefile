# The two commands of the README, plus a few conveniences. Everything installs itself on first use.
.PHONY: setup demo test test-unit test-odoo test-security test-e2e bench bench-chain soak stop clean

setup:
	bash devenv/setup.sh

demo: setup
	bash devenv/demo.sh

test: setup
	bash devenv/test.sh

test-unit: setup
	bash devenv/test.sh unit

test-odoo: setup
	bash devenv/test.sh odoo

test-security: setup
	bash devenv/test.sh security

test-e2e: setup
	bash devenv/test.sh odoo e2e

bench: setup
	bash devenv/bench.sh

bench-chain: setup
	bash devenv/bench_chain.sh $(ARGS)

soak: setup
	bash devenv/soak.sh $(ARGS)

stop:
	bash devenv/postgres.sh stop

clean: stop
	rm -rf .venv var devenv/node_modules
