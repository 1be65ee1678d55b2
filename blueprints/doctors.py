"""Admin screens of doctors, the services they offer, practice windows and bookable slots beyond the generic ones."""
from flask import Blueprint

bp = Blueprint("doctors", __name__, url_prefix="/admin/doctors")
