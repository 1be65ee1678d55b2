"""Static contents (terms, privacy, about) shown by the app."""
