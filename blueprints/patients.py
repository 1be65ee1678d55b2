"""Admin screens of patients, allergies and medical records beyond the generic ones."""
from flask import Blueprint

bp = Blueprint("patients", __name__, url_prefix="/admin/patients")
