"""Patients, their allergies and versioned, audited medical records."""
