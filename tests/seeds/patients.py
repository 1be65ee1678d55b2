"""Conformance seeds of patients, allergies and medical records."""
