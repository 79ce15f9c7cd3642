"""The scoring app's Prometheus metrics, updated where the work happens (served at /metrics
with the project's scrape-time gauges, leadflow/instruments.py)."""

from prometheus_client import Counter, Histogram

EVENTS = Counter("leadflow_events_ingested_total", "Behaviour events received", ["status"])
SCORING = Histogram("leadflow_scoring_seconds", "Scoring the leads one ingested batch touched",
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))  # fmt: skip
