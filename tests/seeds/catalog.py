"""Conformance seeds of the catalog resources."""
