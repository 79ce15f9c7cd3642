"""Create (or promote) a person with the Admin role and Django admin access.

    python manage.py create_admin --username ana --email ana@example.com

The password comes from LEADFLOW_ADMIN_PASSWORD, else it is asked for (never an argument:
arguments end up in shell history and process lists).
"""

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from leads.roles import Role, group_for


class Command(BaseCommand):
    help = "Create or promote an admin (password from LEADFLOW_ADMIN_PASSWORD or a prompt)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, username: str, email: str, **options: Any) -> None:
        password = os.environ.get("LEADFLOW_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.email = email or user.email
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group_for(Role.ADMIN)))
        self.stdout.write(self.style.SUCCESS(f"{username} is an admin."))
