"""Telling the Moderators that a reader wrote, run by the worker (``core.queue``)."""

from django_tasks import task

MODERATORS = "Moderators"


@task()
def notify_moderators(feedback_id):
    """Email the active Moderators with an address about one submission, when the site has a
    mail server (``FEEDBACK_EMAIL_MODERATORS``); the number of messages sent. Fail-soft: a mail
    server that refuses is logged, and the submission still waits in the inbox."""
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    from .models import Feedback

    if not settings.FEEDBACK_EMAIL_MODERATORS:
        return 0
    feedback = Feedback.objects.select_related("term").filter(pk=feedback_id).first()
    if feedback is None:
        return 0
    addresses = sorted(
        get_user_model()
        .objects.filter(groups__name=MODERATORS, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not addresses:
        return 0
    inbox = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("feedback_inbox")
    body = render_to_string("feedback/notification.txt", {"feedback": feedback, "inbox": inbox})
    try:
        send_mail(f"[Glossary] {feedback}", body, None, addresses)
    except Exception:  # noqa: BLE001 - the inbox holds it whatever the mail server says
        logging.getLogger(__name__).exception("Could not email the Moderators")
        return 0
    return len(addresses)
