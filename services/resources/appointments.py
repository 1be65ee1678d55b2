"""Declarations of appointments (user_schedules), the calendar, availability and timeline."""
