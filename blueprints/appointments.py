"""Admin screens of appointments (user_schedules), the calendar, availability and timeline beyond the generic ones."""
from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")
