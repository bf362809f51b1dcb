"""Reliability and security: bad input, hostile text, concurrent use (see SECURITY.md)."""
