"""imagesim's benchmark suite: the reference workload, its SimPy oracle and the runner.

Run it from the repository root with ``python -m benchmarks.run`` (see README.md, "Benchmarks").
"""
