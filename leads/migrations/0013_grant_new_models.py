"""The Admin role gets the models added since the roles migration; marketers record spend."""

from django.db import migrations

from leads.migration_helpers import create_app_permissions, grant_app_to_admins


def grant(apps, schema_editor):
    grant_app_to_admins(apps, "leads")
    create_app_permissions(apps, "leads")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    marketer, _ = Group.objects.get_or_create(name="Marketer")
    marketer.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="leads",
            codename__in=["view_spendentry", "add_spendentry", "change_spendentry",
                          "view_importjob", "view_mergerecord"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [("leads", "0012_spend")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
