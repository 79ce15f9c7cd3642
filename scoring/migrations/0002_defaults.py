"""The built-in event types and a first active scoring model (version 1) that admins
then copy and tune. Also grants the Admin role the scoring models in Django admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from scoring.defaults import install_defaults


def create_defaults(apps, schema_editor):
    install_defaults(
        apps.get_model("scoring", "EventType"),
        apps.get_model("scoring", "ScoringModel"),
        apps.get_model("scoring", "FitRule"),
        apps.get_model("scoring", "IntentRule"),
    )
    app_config = apps.get_app_config("scoring")
    app_config.models_module = True  # migration app stubs lack it; create_permissions checks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="Admin")
    admin.permissions.add(*Permission.objects.filter(content_type__app_label="scoring"))


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_scoring_models"), ("leads", "0003_roles")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
