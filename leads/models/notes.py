from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Note(models.Model):
    """What someone wrote about a lead: part of its story, never edited afterwards."""

    lead = models.ForeignKey("leads.Lead", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [models.Index(fields=["lead", "at"], name="note_lead_at")]

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def shown(self) -> str:
        """The note as written; the system's erasure marker in the reader's language."""
        from leads.system_texts import ERASED_NOTE

        return gettext(ERASED_NOTE) if self.text == ERASED_NOTE else self.text
