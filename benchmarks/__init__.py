"""Bedside benchmarks: push throughput, pull size, app-shell size. Run `python -m benchmarks.run`."""
