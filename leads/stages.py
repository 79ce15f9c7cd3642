"""The funnel's stages: the one home of their codes, labels and order."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead")
    MQL = "mql", _("MQL")
    SAL = "sal", _("SAL")
    SQL = "sql", _("SQL")
    CUSTOMER = "customer", _("Customer")
    NURTURE = "nurture", _("Nurture")
    DISQUALIFIED = "disqualified", _("Disqualified")


# The main path, in order, for funnels and stage counts; off-ramps follow.
FUNNEL = (Stage.LEAD, Stage.MQL, Stage.SAL, Stage.SQL, Stage.CUSTOMER)
DISPLAY_ORDER = (*FUNNEL, Stage.NURTURE, Stage.DISQUALIFIED)
