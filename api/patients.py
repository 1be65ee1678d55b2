"""API actions of patients, allergies and medical records beyond CRUD."""
