"""Reject reasons, qualifying questions and settings to start with; the Admin role gets
the handoff models in Django admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from handoff.defaults import install_defaults


def create_defaults(apps, schema_editor):
    install_defaults(
        apps.get_model("handoff", "RejectReason"),
        apps.get_model("handoff", "QualifyingQuestion"),
        apps.get_model("handoff", "HandoffSettings"),
    )
    app_config = apps.get_app_config("handoff")
    app_config.models_module = True  # migration app stubs lack it; create_permissions checks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="Admin")
    admin.permissions.add(*Permission.objects.filter(content_type__app_label="handoff"))


class Migration(migrations.Migration):
    dependencies = [("handoff", "0001_handoff_models"), ("leads", "0003_roles")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
