"""Side-by-side speed comparisons: ``python -m benchmarks`` (or ``make bench``)."""
