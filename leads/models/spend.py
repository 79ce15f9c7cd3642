from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SpendEntry(models.Model):
    """What a campaign cost over a period (marketing spend)."""

    campaign = models.ForeignKey(
        "leads.Campaign", on_delete=models.CASCADE, related_name="spend_entries"
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        verbose_name = _("spend entry")
        verbose_name_plural = _("spend entries")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="spend_period_order"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="spend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.amount} {self.currency} {self.starts_on}–{self.ends_on}"


class SalesCost(models.Model):
    """What the sales team cost over a period, when it is to count in cost per stage."""

    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))

    class Meta:
        verbose_name = _("sales cost")
        verbose_name_plural = _("sales costs")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="sales_cost_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} {self.starts_on}–{self.ends_on}"
