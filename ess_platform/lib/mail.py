"""Templated French e-mail: render a subject and a body, send them, say what the server
refused.

Templates come in pairs named after one prefix: `<prefix>_subject.txt` and `<prefix>.txt`
(plain text, `{% autoescape off %}`: an e-mail is not HTML). They are rendered in the site's
language whoever triggered the message, with `site_url` in the context for absolute links.
"""

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 300


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body: str


def absolute_url(path: str) -> str:
    """Links in e-mails are absolute: SITE_URL (the public address of the site) + path."""
    return f"{settings.SITE_URL}{path}"


def render_email(template: str, context: dict) -> RenderedEmail:
    """`template` is the prefix, e.g. "directory/members/emails/invitation"."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    # A subject is one line: a stray newline would make an invalid header.
    return RenderedEmail(subject=" ".join(subject.split()), body=body)


def send_email(message: RenderedEmail, *, to: list[str], connection=None) -> str:
    """Send one e-mail; returns "" when the server accepted it, or the reason it refused it
    for good (unknown address, 5xx).

    Any other error (the server is down, a 4xx "try later") is raised: the caller keeps the
    message owed and tries again later. A permanent refusal is returned instead, so one bad
    address closes its own message and never holds back the others.
    """
    email = EmailMessage(
        message.subject, message.body, settings.DEFAULT_FROM_EMAIL, to, connection=connection
    )
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        logger.warning("e-mail refused for %s: %s", to, error.recipients)
        return f"refused: {', '.join(error.recipients)}"[:ERROR_MAX_LENGTH]
    except smtplib.SMTPResponseException as error:
        if error.smtp_code < 500:
            raise
        logger.warning("e-mail refused (%s) for %s", error.smtp_code, to)
        return f"{error.smtp_code} {error.smtp_error!r}"[:ERROR_MAX_LENGTH]
    return ""
