from leads.models.heartbeat import Heartbeat

__all__ = ["Heartbeat"]
