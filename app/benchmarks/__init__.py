"""Benchmarks that need the whole application (database, migrations, services)."""
