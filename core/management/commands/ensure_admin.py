"""Create the first admin account once, with a password nobody else knows.

The password comes from ADMIN_PASSWORD or is generated and printed once; there is never a
fixed default password.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an admin superuser if there is none; print its generated password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))
        parser.add_argument("--email", default=os.environ.get("ADMIN_EMAIL", "admin@example.com"))

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account exists already; nothing to do.")
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email=email, password=password)
        if os.environ.get("ADMIN_PASSWORD"):
            self.stdout.write(
                f"Created admin account '{username}' with the password from ADMIN_PASSWORD."
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Created admin account '{username}' with password: {password}\n"
                    "It is shown only this once: note it now."
                )
            )
