from io import StringIO

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_creates_one_admin_with_a_generated_password_shown_once(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 16

    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert "exists already" in again.getvalue()
    assert password not in again.getvalue()
    assert get_user_model().objects.count() == 1


def test_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "correct-horse-battery")
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "correct-horse-battery" not in out.getvalue()
    assert get_user_model().objects.get(username="admin").check_password("correct-horse-battery")
