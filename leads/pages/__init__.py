"""The core's HTML pages, one module per subject."""
