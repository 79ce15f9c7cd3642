"""The built-in event types and a first active scoring model (version 1) that admins
then copy and tune. Also grants the Admin role the scoring models in Django admin."""

from django.db import migrations

from leads.migration_helpers import grant_app_to_admins

from scoring.defaults import install_defaults


def create_defaults(apps, schema_editor):
    install_defaults(
        apps.get_model("scoring", "EventType"),
        apps.get_model("scoring", "ScoringModel"),
        apps.get_model("scoring", "FitRule"),
        apps.get_model("scoring", "IntentRule"),
    )
    grant_app_to_admins(apps, "scoring")


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_scoring_models"), ("leads", "0003_roles")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
