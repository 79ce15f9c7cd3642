"""Reject reasons, qualifying questions and settings to start with; the Admin role gets
the handoff models in Django admin."""

from django.db import migrations

from leads.migration_helpers import grant_app_to_admins

from handoff.defaults import install_defaults


def create_defaults(apps, schema_editor):
    install_defaults(
        apps.get_model("handoff", "RejectReason"),
        apps.get_model("handoff", "QualifyingQuestion"),
        apps.get_model("handoff", "HandoffSettings"),
    )
    grant_app_to_admins(apps, "handoff")


class Migration(migrations.Migration):
    dependencies = [("handoff", "0001_handoff_models"), ("leads", "0003_roles")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
