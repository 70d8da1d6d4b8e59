"""Reminders: each person with a membership and an email address is mailed what 내 할 일 (/my/) shows them,
through worklist.selectors.my_work, so the mail and the page cannot disagree.

An item (a month to enter, a returned month, a month waiting for approval, a late or pending month, a
period to publish, measures without targets, returned targets, a result due, targets to approve) is mailed to a person at most once a day however often the command runs: a mail holds
only the items not yet sent to that person that day, and ReminderSent records them once the mail server
has accepted the mail, never before. A refused or unreachable server raises ReminderDeliveryError with one
line naming the server; the mails it did accept stay recorded, the others do not.
"""

import datetime
import smtplib
from collections import defaultdict
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from staffing.models import Membership
from worklist.models import ReminderSent
from worklist.selectors import MyWork, my_work

KINDS = (
    "returned",
    "due",
    "milestones",
    "awaiting",
    "late",
    "pending",
    "publishable",
    "targets_missing",
    "targets_returned",
    "results_due",
    "targets_awaiting",
)  # MyWork's lists, in the mail's order

# A server's answer that refuses one mail (its sender, a recipient, its data): the next mail may still go.
REFUSALS = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


class ReminderDeliveryError(Exception):
    """The mail server could not be reached or refused mails; the message is one line naming the server."""


@dataclass(frozen=True)
class Reminder:
    """One mail to one person: the items of their work not yet mailed to them today."""

    user: object
    language: str
    keys: list[str]
    message: EmailMultiAlternatives


def item_key(kind: str, item) -> str:
    """What identifies an item of a person's work from one run to the next: 'due:participation:2022-08-31'."""
    if kind == "publishable":
        return f"{kind}:{item.as_of:%Y-%m-%d}"
    if kind == "milestones":
        return f"milestone:{item.pk}:{item.status}"
    if kind == "targets_missing":
        return f"{kind}:{item.division.code}:{item.fiscal_year}:{item.count}"
    if kind == "results_due":
        return f"{kind}:{item.indicator.code}:{item.due_on:%Y-%m-%d}"
    if kind in ("targets_returned", "targets_awaiting"):
        return f"{kind}:{item.indicator.code}:{item.fiscal_year}"
    return f"{kind}:{item.division.code}:{item.as_of:%Y-%m-%d}"


def _unsent(work: MyWork, sent: set[str]) -> MyWork:
    """The work without the items already mailed today (off-track measures are news, not work: never mailed)."""
    return replace(
        work,
        off_track=[],
        **{kind: [i for i in getattr(work, kind) if item_key(kind, i) not in sent] for kind in KINDS},
    )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _message(membership: Membership, work: MyWork) -> EmailMultiAlternatives:
    count = sum(len(getattr(work, kind)) for kind in KINDS)
    with translation.override(membership.language):
        context = {
            "work": work,
            "person": membership.user.get_full_name() or membership.user.username,
            "site_url": settings.SITE_URL.rstrip("/"),
            "my_url": _absolute(reverse("worklist:my_work")),
            "language": membership.language,
        }
        subject = ngettext("[CivicBureau] 내 할 일 %(count)d건", "[CivicBureau] 내 할 일 %(count)d건", count) % {
            "count": count
        }
        text = render_to_string("worklist/email/reminder.txt", context)
        html = render_to_string("worklist/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject, text, to=[membership.user.email], headers={"Content-Language": membership.language}
    )
    message.attach_alternative(html, "text/html")
    return message


def reminders_due(*, today: datetime.date) -> list[Reminder]:
    """The mails to send today: one per person whose work holds items not yet mailed to them today."""
    sent = defaultdict(set)
    for user_id, key in ReminderSent.objects.filter(sent_on=today).values_list("user_id", "item_key"):
        sent[user_id].add(key)
    members = (
        Membership.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "bureau", "division")
        .order_by("user__username")
    )
    reminders = []
    for membership in members:
        work = _unsent(my_work(user=membership.user, today=today), sent[membership.user_id])
        keys = [item_key(kind, item) for kind in KINDS for item in getattr(work, kind)]
        if keys:
            reminders.append(Reminder(membership.user, membership.language, keys, _message(membership, work)))
    return reminders


def _server(connection) -> str:
    """'SMTP server 127.0.0.1:25', or the backend's name when mail does not go through SMTP."""
    host = getattr(connection, "host", None)
    if host:
        return f"SMTP server {host}:{connection.port}"
    return f"mail backend {type(connection).__module__}"


def _answer(error: OSError) -> str:
    """The server's answer or the socket's error, on one line: '550 mailbox unavailable'."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        answer = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        answer = f"{error.smtp_code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    else:
        answer = str(error) or type(error).__name__
    return " ".join(answer.split())


def _record(reminder: Reminder, today: datetime.date) -> None:
    # ignore_conflicts: a run started at the same moment may have recorded the same items
    ReminderSent.objects.bulk_create(
        [ReminderSent(user=reminder.user, item_key=key, sent_on=today) for key in reminder.keys], ignore_conflicts=True
    )


def reminders_send(*, today: datetime.date) -> list[Reminder]:
    """Mail today's reminders one by one through Django's mail backend and record each one the server
    accepted. Raises ReminderDeliveryError when the server cannot be reached, stops answering, or refused
    any mail (the others are still sent)."""
    reminders = reminders_due(today=today)
    if not reminders:
        return []
    connection = get_connection(fail_silently=False)
    server = _server(connection)
    try:
        connection.open()
    except OSError as error:
        raise ReminderDeliveryError(
            f"{server} could not be reached ({_answer(error)}): no reminder was sent or marked as sent"
        ) from error
    sent, refused = [], []
    try:
        for reminder in reminders:
            try:
                connection.send_messages([reminder.message])
            except REFUSALS as error:
                refused.append(_answer(error))
                continue
            except OSError as error:
                raise ReminderDeliveryError(
                    f"{server} failed after {len(sent)} of {len(reminders)} reminders ({_answer(error)}): "
                    f"the {len(sent)} accepted before are marked as sent, the others are not"
                ) from error
            _record(reminder, today)
            sent.append(reminder)
    finally:
        try:
            connection.close()
        except OSError:
            pass  # the mails were accepted (or refused) already; a failed QUIT changes nothing
    if refused:
        raise ReminderDeliveryError(
            f"{server} refused {len(refused)} of {len(reminders)} reminders ({refused[0]}): "
            f"those are not marked as sent, the {len(sent)} accepted are"
        )
    return sent
