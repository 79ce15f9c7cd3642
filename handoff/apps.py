from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoffConfig(AppConfig):
    name = "handoff"
    verbose_name = _("Handoff")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from handoff import hooks
        from handoff.models import (
            HandoffSettings,
            QualifyingQuestion,
            RejectReason,
            RepProfile,
            RoutingRule,
            TeamHours,
            WebhookEndpoint,
        )

        auditlog.register(RoutingRule, m2m_fields={"pool"})
        auditlog.register(HandoffSettings, m2m_fields={"fallback_pool"})
        for model in (RejectReason, QualifyingQuestion, RepProfile, TeamHours):
            auditlog.register(model)
        auditlog.register(WebhookEndpoint, mask_fields=["secret"])
        hooks.connect()
