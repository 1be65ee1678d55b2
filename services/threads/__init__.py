"""Consultations: threads, messages, prescriptions."""
