"""The benchmark (`make bench`): a generated busy year (dataset.py) and the timed cases (run.py)."""
