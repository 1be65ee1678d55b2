"""Reports and dashboards: figures (queries), their documented contract (declarations)."""
