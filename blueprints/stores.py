"""Admin screens of stores, the products they sell and stock beyond the generic ones."""
from flask import Blueprint

bp = Blueprint("stores", __name__, url_prefix="/admin/stores")
