"""Demo patients, allergies and medical records."""


def seed(added: dict) -> None:
    """Add what is missing of this part of the demo data; count new rows in `added`."""
