"""Pages that combine apps or belong to none, one module per subject."""
