"""The bureau a management command works on: --bureau SLUG, by default the default bureau."""

from django.core.management.base import CommandError

from staffing.models import Bureau
from staffing.selectors import bureau_default, bureau_list


def add_bureau_argument(parser) -> None:
    parser.add_argument(
        "--bureau", metavar="SLUG", help="the bureau's address name, /b/<SLUG>/ (default: the portal's default bureau)"
    )


def bureau_argument(slug: str | None) -> Bureau:
    """The bureau --bureau names, else the default one; an unknown slug names the ones that exist."""
    if not slug:
        bureau = bureau_default()
        if bureau is None:
            raise CommandError("No bureau in the database: run load_demo first.")
        return bureau
    bureau = Bureau.objects.filter(slug=slug).first()
    if bureau is None:
        known = ", ".join(sorted(b.slug for b in bureau_list())) or "none"
        raise CommandError(f"No bureau {slug!r}; the bureaus are: {known}.")
    return bureau
