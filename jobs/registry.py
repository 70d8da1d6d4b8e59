"""The kinds of job and their builders. A higher app registers its builder (reports.jobs, imported from its
AppConfig.ready()), so this app never imports the apps whose work it runs.

A builder takes the job's params and a `progress(percent, text)` callable and returns a JobFile, or a
JobResult when its outcome is not a file (an import's counts or problems, shown on the job's page by the
kind's `result_template`). A kind registered with `takes_input` (an upload run as a job) also gets the
JobInput: who started it and the uploaded file, kept in the job's row rather than in its params (which hold
no file and no secret). An exception of one of its `user_errors` fails the job with the exception's text as
the message the person reads."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobFile:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class JobResult:
    """An outcome that is not a file: JSON, read by the kind's result template on the job's page."""

    data: dict


@dataclass(frozen=True)
class JobInput:
    """What a `takes_input` kind's builder gets besides its params: the person and the uploaded file."""

    user: object
    content: bytes
    filename: str


Progress = Callable[[int, str], None]
Builder = Callable[..., JobFile | JobResult]  # (params, progress) or, with takes_input, (params, progress, input)


@dataclass(frozen=True)
class Kind:
    build: Builder
    user_errors: tuple[type[Exception], ...]
    takes_input: bool = False
    result_template: str = ""


KINDS: dict[str, Kind] = {}


def register(
    kind: str,
    *,
    user_errors: tuple[type[Exception], ...] = (ValueError,),
    takes_input: bool = False,
    result_template: str = "",
):
    """Decorator: `@register("city_briefing", user_errors=(ValueError, BriefingError))` on the builder."""

    def decorator(build: Builder) -> Builder:
        if kind in KINDS and KINDS[kind].build is not build:
            raise ValueError(f"job kind {kind!r} is registered twice")
        KINDS[kind] = Kind(build, user_errors, takes_input, result_template)
        return build

    return decorator
