from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from scoring import hooks
        from scoring.models import ScoringModel, SourceApiKey, TrackingSite, WebForm

        auditlog.register(ScoringModel)
        auditlog.register(SourceApiKey, exclude_fields=["hashed_key"])
        auditlog.register(WebForm)
        auditlog.register(TrackingSite)
        hooks.connect()
