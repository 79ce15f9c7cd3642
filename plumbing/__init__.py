"""Shared plumbing every app uses (API fields, routers, errors, input checks,
pagination, redirects, limits…). A plain library at the bottom of the import graph:
it imports no app and not the project package (tests/test_architecture_imports.py)."""
