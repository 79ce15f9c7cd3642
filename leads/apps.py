from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Leads")

    def ready(self) -> None:
        from leads import audit, hooks
        from leads.reports import rollups
        from plumbing import api_schema  # noqa: F401 (schema extensions)

        hooks.registry.add_consistency_hook(hooks.StageChanged, rollups.record_stage_changed)
        audit.register_core()
