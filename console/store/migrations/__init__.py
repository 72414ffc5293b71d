"""Alembic migrations of the local cache (run by console.store.migrate, not by a CLI)."""
