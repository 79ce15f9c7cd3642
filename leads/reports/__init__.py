"""The core's numbers: stage rollups, metrics and the report endpoints."""
