"""The JSON API for the mobile app, mounted at /api."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import (  # noqa: F401
               appointments,
               auth,
               catalog,
               deliveries,
               doctors,
               notifications,
               openapi,
               order_shipping,
               orders,
               patients,
               payments,
               recovery,
               reports,
               resources,
               stores,
               threads,
               treatments,
               users,
)

resources.register_all()
