"""Messages sent to patients and staff: the outbox of the offline stand-ins."""
