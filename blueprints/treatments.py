"""Admin screens of service categories, services, holidays and delivery tiers beyond the generic ones."""
from flask import Blueprint

bp = Blueprint("treatments", __name__, url_prefix="/admin/treatments")
