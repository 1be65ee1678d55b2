"""Role matrices: who may do what on every API route, one module per feature over one base
(`tests/role_matrix/base.py`)."""
