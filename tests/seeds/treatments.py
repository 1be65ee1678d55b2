"""Conformance seeds of the treatments resources."""
