# The `ablations` target of the Makefile before the ablation list became
# data (benchmarks/ablations.py), verbatim but for its `install`
# prerequisite: tests/test_tools/test_makefile_ablations.py checks that the
# new list plans the same runs. Not used by anything else.
DATA ?= data/mini
BENCH_SET ?= partbody
BENCH ?= work_dirs/bench_$(BENCH_SET)
PY ?= python
.PHONY: ablations

# the papers' claims and ablation tables at small scale, then the report again
# (resumable: finished variants are not rerun). On part-and-body (the
# default; after `make bench`, whose runs it reuses): single-stage Table 1,
# multi-estimations (one vs two seed types, WST vs the plain loss on 12 sets),
# FickleNet D/D (the base config infers stochastically, so D/D sets
# infer_mode too; D/S is the same classifier with stochastic inference) and
# N = 10 against the bench's S/S N = 200, DSRG with the
# other methods' poly schedule instead of its own steps, DSRG without its
# boundary loss and without region growing, plain cross-entropy
# instead of DSRG on the same seeds, DCP on the last
# block (conv5_3) against conv5_1, each with the bench's 2,000-iteration
# schedule (several hours on 2 CPU cores); docs/results.md then checks every
# claim of tools/benchmark/claims.py. The two variants that a bench run
# already trained (single-stage's full model, multi-estimations' 12 sets with
# WST) are read from it (--bench-twin), not trained again.
# BENCH_SET=mini: the glyph-scene tables of earlier sessions (300 iterations;
# multi-seed on the seed sets of `make bench BENCH_SET=mini`).
ABL ?= work_dirs/ablation_$(BENCH_SET)
ABL_CLAIMS := "T (1)" "C (1)" "T+C (2)" "all 12, WST s=1" "all 12, plain s=0"
PB_DATA := data/mini_partbody
# the bench's S/S classifier under other inference: deterministic (S/D), and
# the other two aggregations of the N selections (docs/fidelity.md)
FN_SEED_VARIANTS := \
	--variant "S/D (S/S classifier, deterministic inference, N = 1)" \
	    model.neck.infer_mode=deterministic model.seed_generator.num_selections=1 \
	--variant "S/S N = 200, shared_max" model.seed_generator.aggregation=shared_max \
	--variant "S/S N = 200, mean" model.seed_generator.aggregation=mean
FN_RUN = $(PY) tools/wsss_pipeline.py --method ficklenet --config-set partbody \
	--data-root $(PB_DATA) --build-mini
ablations:
ifeq ($(BENCH_SET),mini)
	$(PY) tools/benchmark/train_ablation.py --preset single-stage --data-root $(DATA) \
	    --work-dir $(ABL)/single_stage
	$(PY) tools/benchmark/train_ablation.py --preset multi-seed --data-root $(DATA) \
	    --seed-root $(BENCH)/multiseed --work-dir $(ABL)/multi_seed
	$(PY) tools/benchmark/train_ablation.py configs/single_stage/ngwp_vgg16-slim_mini.py \
	    --data-root $(DATA) --work-dir $(ABL)/single_stage_seeds --iters 300 \
	    --variant "full model, seed 1" randomness.seed=1 \
	    --variant "full model, seed 2" randomness.seed=2 \
	    --test-variant "+CRF" configs/single_stage/ngwp_vgg16-slim_mini_crf.py
	$(PY) tools/benchmark/train_ablation.py configs/cam/deeplab_largefov_vgg16-slim_mini_cam-seeds.py \
	    --data-root $(DATA) --work-dir $(ABL)/dsrg_vs_ce --variant "FickleNet seeds, LargeFOV CE" \
	    train_dataloader.dataset.data_prefix.seg_map_path=$(abspath $(BENCH))/ficklenet/seeds/labels
	$(PY) tools/benchmark/train_ablation.py \
	    configs/ficklenet/dsrg_largefov_vgg16-slim_mini_ficklenet-seeds.py \
	    --data-root $(DATA) --work-dir $(ABL)/dsrg_vs_ce_cam --variant "CAM seeds, DSRG" \
	    train_dataloader.dataset.data_prefix.seg_map_path=$(abspath $(BENCH))/cam/seeds/labels
	$(PY) tools/benchmark/make_report.py --bench-root $(BENCH) --data-root $(DATA) \
	    --ablations $(addprefix $(ABL)/,single_stage multi_seed single_stage_seeds \
	    dsrg_vs_ce dsrg_vs_ce_cam)
else
	$(PY) tools/benchmark/train_ablation.py --preset single-stage --config-set partbody \
	    --data-root $(PB_DATA) --work-dir $(ABL)/single_stage \
	    --bench-twin "full model" $(BENCH)/singlestage
	$(PY) tools/benchmark/train_ablation.py --preset multi-seed --config-set partbody \
	    --data-root $(PB_DATA) --seed-root $(BENCH)/multiseed --work-dir $(ABL)/multi_seed \
	    --only $(ABL_CLAIMS) --bench-twin "all 12, WST s=1" $(BENCH)/multiseed
	$(FN_RUN) --work-dir $(ABL)/ficklenet_ds --cls-cfg-options model.neck.mode=deterministic
	$(FN_RUN) --work-dir $(ABL)/ficklenet_dd \
	    --reuse classifier=$(abspath $(ABL))/ficklenet_ds/classifier/iter_1000.pth \
	    --cls-cfg-options model.neck.mode=deterministic model.neck.infer_mode=deterministic \
	    model.seed_generator.num_selections=1
	$(PY) tools/benchmark/seed_ablation.py configs/ficklenet/ficklenet_vgg16-slim_partbody.py \
	    $(abspath $(BENCH))/ficklenet/classifier/iter_1000.pth --config-set partbody \
	    --data-root $(PB_DATA) --work-dir $(ABL)/ficklenet_seeds $(FN_SEED_VARIANTS)
	$(FN_RUN) --work-dir $(ABL)/ficklenet_n10 \
	    --reuse classifier=$(abspath $(BENCH))/ficklenet/classifier/iter_1000.pth \
	    --cls-cfg-options model.seed_generator.num_selections=10
	$(PY) tools/benchmark/train_ablation.py \
	    configs/ficklenet/dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds_poly.py \
	    --config-set partbody --data-root $(PB_DATA) --work-dir $(ABL)/dsrg_poly \
	    --variant "FickleNet seeds, DSRG, poly schedule" \
	    train_dataloader.dataset.data_prefix.seg_map_path=$(abspath $(BENCH))/ficklenet/seeds/labels
	$(PY) tools/benchmark/train_ablation.py \
	    configs/ficklenet/dsrg_deeplabv3_vgg16-slim_partbody_ficklenet-seeds.py \
	    --config-set partbody --data-root $(PB_DATA) --work-dir $(ABL)/dsrg_parts \
	    --cfg-options train_dataloader.dataset.data_prefix.seg_map_path=$(abspath $(BENCH))/ficklenet/seeds/labels \
	    --variant "DSRG w/o the boundary loss" model.decode_head.boundary_loss_weight=0.0 \
	    --variant "DSRG w/o region growing" model.decode_head.grow=False
	$(PY) tools/benchmark/train_ablation.py configs/cam/deeplabv3_vgg16-slim_partbody_cam-seeds.py \
	    --config-set partbody --data-root $(PB_DATA) --work-dir $(ABL)/dsrg_vs_ce \
	    --variant "FickleNet seeds, cross-entropy" \
	    train_dataloader.dataset.data_prefix.seg_map_path=$(abspath $(BENCH))/ficklenet/seeds/labels
	$(PY) tools/wsss_pipeline.py --method dcp --config-set partbody --data-root $(PB_DATA) \
	    --build-mini --work-dir $(ABL)/dcp_conv5_3 \
	    --reuse classifier=$(abspath $(BENCH))/cam/classifier/iter_1000.pth \
	    --cls-cfg-options model.seed_generator.layer=backbone.features.42
	$(PY) tools/benchmark/make_report.py --bench-root $(BENCH) --data-root $(PB_DATA) \
	    --ablations $(addprefix $(ABL)/,single_stage multi_seed ficklenet_dd ficklenet_n10 ficklenet_seeds \
	    dsrg_poly dsrg_parts dsrg_vs_ce dcp_conv5_3)
endif
