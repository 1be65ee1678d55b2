"""Demo doctors, the services they offer, practice windows and bookable slots."""


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
