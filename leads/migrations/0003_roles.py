"""Create the four roles as groups, with the model permissions each needs in Django admin.

The API and pages check roles themselves (leads/roles.py, leads/access.py); these model
permissions govern what each role may do in Django admin.
"""

from django.db import migrations

from leads.migration_helpers import create_app_permissions

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)

ROLE_PERMISSIONS = {
    "Marketer": {
        "lead": (VIEW, ADD, CHANGE),
        "stagechange": (VIEW,),
        "company": (VIEW, ADD, CHANGE),
        "campaign": (VIEW, ADD, CHANGE),
        "team": (VIEW,),
    },
    "Sales rep": {
        "lead": (VIEW, CHANGE),
        "stagechange": (VIEW,),
        "company": (VIEW,),
        "campaign": (VIEW,),
        "team": (VIEW,),
    },
    "Sales manager": {
        "lead": (VIEW, CHANGE),
        "stagechange": (VIEW,),
        "company": (VIEW,),
        "campaign": (VIEW,),
        "team": (VIEW, CHANGE),
    },
    "Admin": {
        "lead": ALL,
        "stagechange": (VIEW,),
        "company": ALL,
        "campaign": ALL,
        "team": ALL,
        "heartbeat": (VIEW,),
        "auth.user": ALL,
        "auth.group": (VIEW,),
    },
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    for app_label in ("leads", "auth"):
        create_app_permissions(apps, app_label)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for model, actions in grants.items():
            app_label, model_name = model.split(".") if "." in model else ("leads", model)
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model_name}"
                    )
                )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0002_lifecycle_core"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
