"""Hostile input: property-based tests and attacks on every way in (see docs/security.md)."""
