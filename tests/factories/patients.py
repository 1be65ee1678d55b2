"""Factories of patients, allergies and medical records."""
