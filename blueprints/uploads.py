"""Serves uploaded files from UPLOAD_DIR at /uploads/<kind>/<name>."""
from flask import Blueprint, abort, current_app, send_from_directory

from services.uploads import KINDS

bp = Blueprint("uploads", __name__)


@bp.get("/uploads/<kind>/<name>")
def serve(kind, name):
    """One uploaded file (never a directory listing, never outside the folder)."""
    if kind not in KINDS or name.startswith("."):
        abort(404)
    response = send_from_directory(f"{current_app.config['UPLOAD_DIR']}/{kind}", name,
                                   max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
