"""Notifications: in-app rows, their push outbox, appointment reminders."""
