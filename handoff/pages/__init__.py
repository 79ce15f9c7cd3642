"""The handoff app's HTML pages, one module per subject."""
