"""The JSON API for the mobile app, mounted at /api."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import auth, catalog, openapi, resources, stores, treatments, users  # noqa: E402,F401

resources.register_all()
