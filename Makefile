# wsss_mm — two commands: `make demo` and `make test`. Both install what they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.wsss_mm_installed
DATA ?= data/mini
WORK ?= work_dirs/demo
# pytest workers of make test (pytest-xdist; a test file stays on one worker)
TEST_WORKERS ?= 2

.PHONY: install demo test lint data pretrain bench ablations clean-venv dataset-package

install: $(STAMP)

$(STAMP): setup.py pyproject.toml requirements.txt $(wildcard requirements/*.txt) tools/install_mmcv.sh
	@bash tools/ensure_fashion_mnist.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip "setuptools>=70,<80" wheel
	$(PY) -m pip install -q torch==2.14.1 torchvision==0.29.1
	bash tools/install_mmcv.sh $(PY)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	$(PY) -c "import wsss_mm, mmseg.models, mmcv.ops, pydensecrf.densecrf; print('wsss_mm installed')"
	touch $@

data: install
	$(PY) tools/dataset_converters/fashion_mnist_scenes.py --out $(DATA)

# the demo's short schedule: a smaller mini pretraining and shorter
# classifier and segmentation trainings than the glyph configs' own (about 10
# minutes on 2 CPU cores, install included); DEMO_ARGS= runs their own
# schedules, as `make bench BENCH_SET=mini` does (about 17 minutes)
DEMO_ARGS ?= --pretrain-objects 8000 --pretrain-epochs 2 --cls-iters 400 --seg-iters 500
demo: install
	$(PY) tools/wsss_pipeline.py --method cam --data-root $(DATA) --work-dir $(WORK) --build-mini $(DEMO_ARGS)

# every method on a mini benchmark + speed benchmarks -> docs/results.md, README block
# (resumable; BENCH_SET=mini for the glyph scenes instead of part-and-body,
# BENCH_ARGS="--quick" for a smoke run, "--force" to rerun everything)
BENCH_SET ?= partbody
# the part-and-body scene recipe (docs/benchmark.md#scene-recipes-and-the-instrument;
# run_bench's DEFAULT_SCENE_RECIPE): its name is part of the work roots
SCENE_RECIPE ?= faint-body
BENCH_TAG := $(BENCH_SET)$(if $(filter partbody,$(BENCH_SET)),_$(SCENE_RECIPE))
BENCH ?= work_dirs/bench_$(BENCH_TAG)
BENCH_ARGS ?=
# what the report reads of each finished run, committed: one folder per bench
# work root, so one per scene recipe
RECORDS ?= benchmarks/records/$(notdir $(BENCH))
bench: install
	$(PY) -m benchmarks.run_bench --config-set $(BENCH_SET) --work-root $(BENCH) \
	    --scene-recipe $(SCENE_RECIPE) --records $(RECORDS) $(BENCH_ARGS)

# the papers' claims and ablation tables at small scale, then the report
# again (resumable: finished variants are not rerun). The list of runs is
# benchmarks/ablations.py: on part-and-body (the default; after `make bench`,
# whose runs it reuses) single-stage Table 1, multi-estimations, FickleNet
# D/D and N = 10, DSRG's parts and schedule, cross-entropy instead of DSRG,
# DCP on conv5_3, the composed recipe without each part (several hours on
# 2 CPU cores); BENCH_SET=mini the glyph-
# scene tables (300 iterations). ABL_ARGS="--dry-run" prints the commands.
ABL ?= work_dirs/ablation_$(BENCH_TAG)
# (the data root of the bench's scene recipe: the published shared-colour
# scenes keep data/mini_partbody)
ABL_DATA := $(if $(filter mini,$(BENCH_SET)),$(DATA),data/mini_partbody$(if $(filter shared-colour,$(SCENE_RECIPE)),,_$(SCENE_RECIPE)))
ABL_ARGS ?=
ablations: install
	$(PY) -m benchmarks.train_ablation --plan $(BENCH_SET) --bench-root $(BENCH) \
	    --data-root $(ABL_DATA) --work-dir $(ABL) --records $(RECORDS) $(ABL_ARGS)

# the checks of .pre-commit-config.yaml (settings in setup.cfg), as CI runs them
PY_FILES = $(shell git ls-files '*.py')
lint: install
	$(VENV)/bin/flake8 $(PY_FILES)
	$(VENV)/bin/isort --check-only --diff $(PY_FILES)
	$(VENV)/bin/yapf --diff $(PY_FILES)
	$(VENV)/bin/codespell $(shell git ls-files)

test: install
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile tests

clean-venv:
	rm -rf $(VENV)
