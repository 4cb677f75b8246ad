"""Sphinx extensions local to the actionable documentation."""
