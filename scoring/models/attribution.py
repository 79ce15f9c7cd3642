from django.db import models
from django.utils.translation import gettext_lazy as _

from leads.stages import Stage


class AttributionCredit(models.Model):
    """One campaign's share of one move into an attributed stage, under each model (first
    touch, last touch, linear), with the lead's deal value once won. Kept by
    ``scoring.attribution`` for live leads only (a lead merged away has none), so the
    report sums these rows alone, from their index, without reading a million leads."""

    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    at = models.DateTimeField()
    campaign = models.ForeignKey(
        "leads.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first = models.DecimalField(max_digits=9, decimal_places=6)
    last = models.DecimalField(max_digits=9, decimal_places=6)
    linear = models.DecimalField(max_digits=9, decimal_places=6)
    deal_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("attribution credit")
        verbose_name_plural = _("attribution credits")
        indexes = [
            models.Index(
                fields=["stage", "at"],
                name="credit_stage_at",
                include=["campaign", "first", "last", "linear", "deal_value"],
            ),
            models.Index(fields=["lead"], name="credit_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.stage} → campaign {self.campaign_id}"
