"""The appointment's statuses and their names in Bahasa Indonesia (one vocabulary for every
screen: the Kalender, the appointment list, the patient's history)."""
from models import APPOINTMENT_STATUSES

LIVE = ("BOOKING", "RESCHEDULE", "ARRIVED")  # holds its slot; cancelled and done do not move
STATUS_LABELS = {"BOOKING": "Dipesan", "RESCHEDULE": "Dijadwalkan ulang", "ARRIVED": "Datang",
                 "DONE": "Selesai", "CANCEL": "Dibatalkan"}


def status_label(status: str) -> str:
    """The status in Bahasa Indonesia (the code itself when unknown)."""
    return STATUS_LABELS.get(status, status)


def status_choices() -> list[tuple[str, str]]:
    """Every status with its label, in workflow order: (code, label)."""
    return [(status, status_label(status)) for status in APPOINTMENT_STATUSES]


__all__ = ["APPOINTMENT_STATUSES", "LIVE", "STATUS_LABELS", "status_choices", "status_label"]
