"""Declarations of patients, allergies and medical records."""
