"""Alembic migrations of the backend database, run programmatically by `migrate()`."""
