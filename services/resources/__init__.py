"""Resource declarations, one module per domain; importing this registers them all."""
from . import (accounts, appointments, catalog, content, doctors, patients,  # noqa: F401
               stores, treatments)
