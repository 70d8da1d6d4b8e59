"""Logging pieces that load before Django's apps: the security log's format, its request-id filter,
and the escaping of control characters (ASVS 7.1, 7.3). The events themselves: civicbureau.security."""

import contextvars
import datetime
import logging
import re

current_request: contextvars.ContextVar = contextvars.ContextVar("current_request", default=None)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def is_request_id(value: str) -> bool:
    return bool(_REQUEST_ID.match(value))


def escape(value) -> str:
    """Control characters as visible escapes: a newline in a username becomes \\n, not a new log line."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(value))


_NEEDS_QUOTES = re.compile(r'[\s="\\]')


def field_value(value) -> str:
    """A value as one key=value field (logfmt): escaped, and quoted when it holds a space, '=', a quote or
    a backslash, so a username 'x ip=1.2.3.4' cannot forge a field of its own."""
    text = escape(value)
    if text and not _NEEDS_QUOTES.search(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        request = current_request.get()
        record.request_id = getattr(request, "id", "-")
        return True


class SecurityFormatter(logging.Formatter):
    """`2026-11-25T06:34:08.123Z INFO event=login_failed user=staff ip=127.0.0.1 request_id=… key=value …`"""

    def format(self, record):
        when = (
            datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )
        data = record.args if isinstance(record.args, dict) else {"message": record.getMessage()}
        parts = " ".join(f"{escape(k)}={field_value(v)}" for k, v in data.items())
        return f"{when} {record.levelname} {parts}"
