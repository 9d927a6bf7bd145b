"""Speed benchmarks, one script each (``python -m benchmarks.speed.<name>``),
run by ``benchmarks.run_bench``: each prints a table and, last, one JSON
line."""
