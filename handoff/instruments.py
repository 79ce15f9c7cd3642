"""The handoff app's Prometheus metrics, updated where the work happens (served at /metrics
with the project's scrape-time gauges, leadflow/instruments.py)."""

from prometheus_client import Counter, Histogram

HANDOFFS = Counter("leadflow_handoffs_created_total", "Handoffs opened (an MQL sent to a rep)")
ALERT_LATENCY = Histogram("leadflow_alert_delivery_seconds",
                          "From an alert being queued to it being sent", ["channel"],
                          buckets=(0.1, 0.5, 1, 2, 5, 15, 60, 300, 900))  # fmt: skip
ALERT_FAILURES = Counter("leadflow_alert_failures_total", "Failed alert sends", ["channel"])
ROUTING_FAILURES = Counter(
    "leadflow_routing_failures_total", "Leads the routing sweep could not route (see the logs)"
)
SLA_BREACHES = Counter("leadflow_sla_breaches_total", "Handoffs not answered in time")
