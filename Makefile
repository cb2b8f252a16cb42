# ogi task runner. `make` lists the targets.
UV ?= uv
DB ?= data/warehouse/ogi.duckdb

.DEFAULT_GOAL := help
.PHONY: help setup run test lint report bench eval

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

setup:  ## install uv and the locked dependencies (frozen)
	python3 -m pip install -q uv==0.13.8 && $(UV) sync --frozen

run: setup  ## load data/raw/, validate, export reports and charts
	$(UV) run --frozen ogi run --db $(DB)

test: setup  ## the test suite (what CI runs)
	$(UV) run --frozen pytest

lint: setup  ## ruff and mypy
	$(UV) run --frozen ruff check pipelines tests && $(UV) run --frozen mypy pipelines

report: setup  ## execute the notebooks into exports/
	$(UV) run --frozen ogi report --db $(DB)

bench: setup  ## time every stage on 1000 synthetic reports
	$(UV) run --frozen ogi bench --n 1000

eval: setup  ## score extraction on the shared corpus (../shared/corpus)
	$(UV) run --frozen ogi eval ../shared/corpus
