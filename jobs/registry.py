"""The kinds of job and their builders. A higher app registers its builder (reports.jobs, imported from its
AppConfig.ready()), so this app never imports the apps whose work it runs.

A builder takes the job's params and a `progress(percent, text)` callable and returns a JobFile. An exception
of one of its `user_errors` fails the job with the exception's text as the message the person reads."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobFile:
    content: bytes
    filename: str
    content_type: str


Progress = Callable[[int, str], None]
Builder = Callable[[dict, Progress], JobFile]


@dataclass(frozen=True)
class Kind:
    build: Builder
    user_errors: tuple[type[Exception], ...]


KINDS: dict[str, Kind] = {}


def register(kind: str, *, user_errors: tuple[type[Exception], ...] = (ValueError,)):
    """Decorator: `@register("city_briefing", user_errors=(ValueError, BriefingError))` on the builder."""

    def decorator(build: Builder) -> Builder:
        if kind in KINDS and KINDS[kind].build is not build:
            raise ValueError(f"job kind {kind!r} is registered twice")
        KINDS[kind] = Kind(build, user_errors)
        return build

    return decorator
