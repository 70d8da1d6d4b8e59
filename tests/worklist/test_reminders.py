"""send_reminders mails each person what 내 할 일 shows them, at most once a day per item, through a real
SMTP server on loopback (tests/worklist/conftest.py), and fails loudly when the server does."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from budget.models import DivisionMonth
from civicbureau import figures
from tests.factories import FISCAL_YEAR, BudgetLineFactory, DivisionFactory, DivisionMonthFactory, MembershipFactory
from tests.worklist.conftest import Collector, free_port, use_smtp
from worklist.models import ReminderSent

pytestmark = pytest.mark.django_db
DAY = datetime.date(FISCAL_YEAR, 8, 3)  # July's deadline is 8. 7. (due), June's was 7. 7. (late)
MONTH_ENDS = [figures.month_end(datetime.date(FISCAL_YEAR, month, 1)) for month in range(1, 8)]
ENTRY_LINK = re.compile(r"/staff/entry/([\w-]+)/(\d{4}-\d\d-\d\d)/")


@pytest.fixture
def bureau(monkeypatch):
    """Two divisions with a budget line each; staff of each (the second reads English), the first's
    director and the bureau's planning, all with an email address; today is DAY."""
    first = DivisionFactory()
    second = DivisionFactory(bureau=first.bureau)
    for division in (first, second):
        BudgetLineFactory(division=division)
    people = {
        "staff": MembershipFactory(role="staff", division=first, user__email="staff@t.example"),
        "staff_en": MembershipFactory(role="staff", division=second, user__email="en@t.example", language="en"),
        "director": MembershipFactory(role="director", division=first, user__email="director@t.example"),
        "planning": MembershipFactory(
            role="planning", division=None, bureau=first.bureau, user__email="planning@t.example"
        ),
    }
    on_day(monkeypatch, DAY)
    return {"first": first, "second": second, **people}


def on_day(monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def addresses(bureau):
    return [bureau[name].user.email for name in ("staff", "staff_en", "director", "planning")]


def ours(server, bureau):
    """The messages to this test's people (the demo's logins, on example addresses, are mailed too)."""
    return [m for m in server.messages if m["To"] in addresses(bureau)]


def plain(message):
    return message.get_body(("plain",)).get_content()


def html(message):
    return message.get_body(("html",)).get_content()


def test_twice_on_one_day_sends_each_mail_once_and_the_next_day_again(smtp_server, bureau, monkeypatch):
    server = smtp_server()
    call_command("send_reminders")
    first_run = len(server.messages)
    assert sorted(m["To"] for m in ours(server, bureau)) == sorted(addresses(bureau))
    assert len({m["To"] for m in server.messages}) == first_run  # one mail per person
    recorded = ReminderSent.objects.count()

    call_command("send_reminders")
    assert len(server.messages) == first_run and ReminderSent.objects.count() == recorded

    on_day(monkeypatch, DAY + datetime.timedelta(days=1))
    call_command("send_reminders")
    assert len(server.messages) == 2 * first_run
    assert sorted(m["To"] for m in ours(server, bureau)[len(addresses(bureau)) :]) == sorted(addresses(bureau))


def test_what_is_recorded_is_each_item_of_the_persons_work(smtp_server, bureau):
    smtp_server()
    call_command("send_reminders")
    staff, first = bureau["staff"].user, bureau["first"]
    assert sorted(ReminderSent.objects.filter(user=staff).values_list("item_key", "sent_on")) == [
        (f"due:{first.code}:{day:%Y-%m-%d}", DAY) for day in MONTH_ENDS
    ]


def test_an_item_that_appears_later_in_the_day_is_mailed_alone(smtp_server, bureau):
    server = smtp_server()
    call_command("send_reminders")
    before = len(server.messages)
    DivisionMonthFactory(division=bureau["first"], as_of=MONTH_ENDS[-1], status=DivisionMonth.Status.SUBMITTED)
    call_command("send_reminders")
    later = server.messages[before:]
    # the director and planning have July waiting for approval; staff's July is no longer due (a new
    # item for nobody else), planning's pending July of the first division is gone, not new
    assert sorted(m["To"] for m in later) == ["director@t.example", "planning@t.example"]
    for message in later:
        assert ENTRY_LINK.findall(plain(message)) == [(bureau["first"].code, f"{MONTH_ENDS[-1]:%Y-%m-%d}")]


def test_dry_run_sends_nothing_and_records_nothing(smtp_server, bureau, capsys):
    server = smtp_server()
    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert server.messages == [] and ReminderSent.objects.count() == 0
    for address in addresses(bureau):
        assert re.search(rf"^{re.escape(address)} \[(ko|en)\] ", out, re.M), address
    assert f"  due:{bureau['first'].code}:{MONTH_ENDS[0]:%Y-%m-%d}" in out.splitlines()


def test_a_server_that_is_not_there_fails_the_command_and_nothing_is_recorded(settings, bureau):
    port = free_port()
    use_smtp(settings, port)
    with pytest.raises(CommandError) as failed:
        call_command("send_reminders")
    message = str(failed.value)
    assert f"SMTP server 127.0.0.1:{port}" in message and "\n" not in message
    assert ReminderSent.objects.count() == 0


@pytest.mark.parametrize(
    ("handler", "answer"),
    [
        (Collector(refuse_data="451 4.3.0 Try again later"), "451 4.3.0 Try again later"),
        (Collector(refuse_data="550 5.7.1 Delivery not authorized"), "550 5.7.1 Delivery not authorized"),
    ],
    ids=["451", "550"],
)
def test_a_server_that_refuses_fails_the_command_and_nothing_is_recorded(smtp_server, bureau, handler, answer):
    server = smtp_server(handler)
    with pytest.raises(CommandError) as failed:
        call_command("send_reminders")
    message = str(failed.value)
    assert f"SMTP server 127.0.0.1:{settings.EMAIL_PORT} refused" in message and answer in message
    assert "\n" not in message
    assert server.messages == [] and ReminderSent.objects.count() == 0


def test_a_refused_recipient_is_not_recorded_and_the_others_are(smtp_server, bureau):
    server = smtp_server(Collector(refuse_rcpt={"en@t.example": "550 5.1.1 No such user"}))
    with pytest.raises(CommandError) as failed:
        call_command("send_reminders")
    assert "refused 1 of" in str(failed.value) and "550 5.1.1 No such user" in str(failed.value)
    received = {m["To"] for m in server.messages}
    recorded = set(ReminderSent.objects.values_list("user__email", flat=True))
    assert "en@t.example" not in received and recorded == received
    assert {"staff@t.example", "director@t.example", "planning@t.example"} <= recorded


class AcceptsOne(Collector):
    """Accepts one mail, then answers 421 (closing the connection, as smtplib does on a 421)."""

    async def handle_DATA(self, server, session, envelope):
        if self.messages:
            return "421 4.3.2 Service shutting down"
        return await super().handle_DATA(server, session, envelope)


def test_a_server_that_goes_away_midway_stops_the_run_and_only_what_it_accepted_is_recorded(smtp_server, bureau):
    server = smtp_server(AcceptsOne())
    with pytest.raises(CommandError) as failed:
        call_command("send_reminders")
    message = str(failed.value)
    assert message.startswith(f"SMTP server 127.0.0.1:{settings.EMAIL_PORT} failed after 1 of ") and "\n" not in message
    (accepted,) = server.messages
    assert set(ReminderSent.objects.values_list("user__email", flat=True)) == {accepted["To"]}


def test_a_staff_members_mail_lists_only_their_own_divisions_items(smtp_server, bureau):
    server = smtp_server()
    call_command("send_reminders")
    (mail,) = server.to("staff@t.example")
    expected = [(bureau["first"].code, f"{day:%Y-%m-%d}") for day in MONTH_ENDS]
    assert ENTRY_LINK.findall(plain(mail)) == expected and ENTRY_LINK.findall(html(mail)) == expected
    assert bureau["second"].name not in plain(mail) + html(mail)


def test_plain_and_html_parts_with_an_absolute_link_to_my_work(smtp_server, bureau):
    server = smtp_server()
    call_command("send_reminders")
    (mail,) = server.to("staff@t.example")
    assert [part.get_content_type() for part in mail.walk()] == ["multipart/alternative", "text/plain", "text/html"]
    my_url = f"{settings.SITE_URL}/my/"
    assert my_url in plain(mail) and f'href="{my_url}"' in html(mail)
    assert f"{settings.SITE_URL}/staff/entry/{bureau['first'].code}/{MONTH_ENDS[0]:%Y-%m-%d}/" in plain(mail)
    assert mail["Subject"] == "[CivicBureau] 내 할 일 7건"
    july = next(line for line in plain(mail).splitlines() if "’23. 7. 31." in line)
    assert july == f"- {bureau['first'].name} ’23. 7. 31. · 미입력 · 마감 전 · 마감 ’23. 8. 7."


def test_an_english_reader_gets_the_mail_in_english(smtp_server, bureau):
    server = smtp_server()
    call_command("send_reminders")
    (mail,) = server.to("en@t.example")
    assert mail["Subject"] == "[CivicBureau] My work: 7 items" and mail["Content-Language"] == "en"
    june = next(line for line in plain(mail).splitlines() if "30 Jun 2023" in line)
    assert june == f"- {bureau['second'].name} 30 Jun 2023 · Missing · Late · Deadline 7 Jul 2023"  # English dates
    assert '<html lang="en">' in html(mail)
    (korean,) = server.to("staff@t.example")
    assert "마감" in plain(korean) and "Deadline" not in plain(korean)


def test_planning_is_mailed_the_late_months_by_period(smtp_server, bureau):
    server = smtp_server()
    call_command("send_reminders")
    (mail,) = server.to("planning@t.example")
    first, second = bureau["first"].name, bureau["second"].name
    lines = plain(mail).splitlines()
    assert f"- ’23. 6. 30. (마감 ’23. 7. 7.): {first} 미입력, {second} 미입력" in lines
    assert f"- ’23. 7. 31. (마감 ’23. 8. 7.): {first} 미입력, {second} 미입력" in lines
    late, pending = plain(mail).index("(지연)"), plain(mail).index("(마감 전)")
    assert late < plain(mail).index("’23. 6. 30.") < pending < plain(mail).index("’23. 7. 31.")
