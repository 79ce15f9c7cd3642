"""Demo and benchmark data (``manage.py seed_demo``): above every app, so the
domain apps carry no seeding code."""
