"""Helpers data migrations share. Migrations run with historical models (``apps``), so
these helpers take them as arguments and import nothing from the apps' current code."""

from typing import Any

from django.contrib.auth.management import create_permissions


def create_app_permissions(apps: Any, app_label: str) -> None:
    """Permissions are normally made after all migrations; make an app's now to grant them."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True  # migration app stubs lack it; create_permissions checks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None


def grant_app_to_admins(apps: Any, app_label: str) -> None:
    """Every permission of ``app_label`` to the Admin role, for Django admin."""
    create_app_permissions(apps, app_label)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _created = Group.objects.get_or_create(name="Admin")
    admin.permissions.add(*Permission.objects.filter(content_type__app_label=app_label))
