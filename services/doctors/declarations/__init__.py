"""Declarations (the API data contract) of doctors, the services they offer, practice windows
and bookable slots; importing this package registers the four resources.

Doctors are people who sign in: a doctor row links a live user account, which holds the
DOCTOR role exactly while the doctor exists (given on create in the same transaction, taken
back when the doctor is deleted). Browsing is public, so the app can show doctors and their
schedule; what is inactive (a doctor, an offer, a slot) is seen by staff only. Managers keep
doctors and their prices; the front desk (USERS) also keeps the weekly schedule; a doctor may
keep their own practice windows and slots, never their price nor another doctor's rows.

How these resources look on the staff screens is in blueprints/views/doctors.py."""
from .doctors import Doctors  # noqa: F401
from .offers import DoctorServices  # noqa: F401
from .slots import DoctorSchedules  # noqa: F401
from .windows import Schedules  # noqa: F401
