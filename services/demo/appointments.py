"""Demo appointments (user_schedules), the calendar, availability and timeline."""


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
