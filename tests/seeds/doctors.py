"""Conformance seeds of doctors, the services they offer, practice windows and bookable slots."""
