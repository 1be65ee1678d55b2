"""Conformance seeds of the stores resources."""
