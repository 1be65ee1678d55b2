"""API actions of appointments (user_schedules), the calendar, availability and timeline beyond CRUD."""
