"""Doctors, the services they offer, their practice windows and bookable slots."""
