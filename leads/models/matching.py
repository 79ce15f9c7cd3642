from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchingSettings(models.Model):
    """How entry points recognise a lead they already have: one row (pk 1)."""

    ignore_plus_addressing = models.BooleanField(
        _("ana+news@x.com is ana@x.com"),
        default=False,
        help_text=_("Match emails that differ only by a +tag to the same lead."),
    )

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self) -> str:
        return str(_("Matching settings"))

    @classmethod
    def current(cls) -> "MatchingSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row
