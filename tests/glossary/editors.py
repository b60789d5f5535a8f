"""What the admin tests share: logging in as an editor of a group, the card form, and a save
held in flight in another transaction (autosave racing the editor's click)."""

import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import TestCase

ADD_CARD = "/admin/snippets/glossary/relatedarticlecard/add/"
CARD_CHOOSER = "/admin/snippets/choose/glossary/relatedarticlecard/"


def log_in(client, group=None):
    """A superuser, or a user of ``group`` (Editors, Moderators), logged in on ``client``."""
    User = get_user_model()
    if group is None:
        user = User.objects.create_superuser("boss", "boss@example.com", "pw")
    else:
        user = User.objects.create_user(group.lower(), f"{group}@example.com", "pw")
        user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


class AdminTestCase(TestCase):
    def login(self, group=None):
        log_in(self.client, group)


def card_form(title, key, **extra):
    return {
        "title": title,
        "subheading": "Article",
        "button_text": "Read Pulse",
        "target_slug": "",
        "creation_key": str(key),
        **extra,
    }


def while_in_flight(insert, request):
    """``request()``'s response while ``insert()`` is uncommitted in another thread's
    transaction, which commits a second after the request starts: the autosave's row still in
    flight when the editor's click reaches the server (PostgreSQL makes the click wait)."""
    inserted, release = threading.Event(), threading.Event()

    def in_flight():
        try:
            with transaction.atomic():
                insert()
                inserted.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=in_flight)
    thread.start()
    inserted.wait(timeout=30)
    # The click's insert blocks on the uncommitted row; let that transaction commit soon.
    threading.Timer(1.0, release.set).start()
    response = request()
    thread.join()
    return response
