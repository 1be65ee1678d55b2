"""Admin screens of categories, products with pictures, promotions beyond the generic ones."""
from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/admin/catalog")
