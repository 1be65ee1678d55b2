"""API actions of doctors, the services they offer, practice windows and bookable slots beyond CRUD."""
