from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    # Blank for a company known only by its name (an imported row or a form with a company
    # name and a personal email); unique when present.
    domain = models.CharField(_("domain"), max_length=253, blank=True, default="")
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(
        _("annual revenue"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO code"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain"], condition=~models.Q(domain=""), name="company_domain_unique"
            ),
            # Domains are matched case-insensitively everywhere; store them lower-case.
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")), name="company_domain_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.domain
