"""The benchmark harness: the mini benchmark of every method, the paper
ablations at small scale, the speed benchmarks and the report.

Run from the repository root, e.g. ``python -m benchmarks.run_bench --help``
(``make bench``) and ``python -m benchmarks.train_ablation --plan partbody
...`` (``make ablations``; the list of ablations: :mod:`benchmarks.ablations`).
"""
