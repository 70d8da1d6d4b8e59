"""What the import commands share (import_execution, import_city_extract, import_budget_book): the file and the
person they read, and the same words when a file is refused for its problems or for cautions not confirmed."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def file_read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {file}: {exc}") from None


def person_read(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user {username!r}.") from None


def refuse_problems(command, result, filename: str) -> None:
    """Each problem on stderr, then nothing imported."""
    if result.ok:
        return
    for problem in result.problems:
        command.stderr.write(str(problem))
    raise CommandError(f"Nothing was imported: {len(result.problems)} problem(s) in {filename}.")


def refuse_unconfirmed(command, result, *, dry_run: bool) -> None:
    """Each caution on stderr with the key that confirms it; a real run with one left unconfirmed imports nothing."""
    for caution in result.cautions:
        command.stderr.write(f"{caution} [--confirm {caution.key}]")
    if result.cautions and not dry_run and not result.applied:
        raise CommandError(
            f"Nothing was imported: {len(result.cautions)} caution(s) to confirm with --confirm KEY (each listed)."
        )
