"""The benchmark harness behind ``benchmarks/run.py`` (not part of the installed package)."""
