"""Appointments: booking rules, the appointment workflow, availability and timeline."""
