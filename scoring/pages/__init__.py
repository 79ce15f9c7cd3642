"""The scoring app's HTML pages, one module per subject."""
