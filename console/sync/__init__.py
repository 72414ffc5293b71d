"""Talking to the backend: the typed HTTP client and the sync engine thread. No Qt here."""
