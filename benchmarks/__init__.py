"""Benchmarks: scripts run by hand against the configured database, not part of the tests."""
