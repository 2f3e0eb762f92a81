"""Benchmarks (make bench, make bench-quick): see bench/run.py and the README's performance section."""
