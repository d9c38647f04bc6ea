"""Database access: engines, sessions and migrations for SQLite (default) and PostgreSQL."""
