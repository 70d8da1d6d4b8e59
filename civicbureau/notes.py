"""Notes a page carries about what an app above it knows: where another public page shows a different
figure for the same thing.

A page of a lower layer cannot ask the app that knows (budget's 예산 집행 현황 imports nothing of the
program sections above it), so the kernel keeps a small registry, like civicbureau.publication.register:
an app registers, in its AppConfig.ready, a provider for a page by the page's URL name; the page asks for
its notes with what it shows (`notes_for`) and renders them with templates/includes/notes.html. The kernel
imports no app.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """A sentence for readers, and the pages it points to: (label, url) pairs shown after it."""

    text: str
    links: tuple[tuple[str, str], ...] = ()


_providers: dict[str, list[Callable[..., list[Note]]]] = {}


def register(page: str, provider: Callable[..., list[Note]]) -> None:
    """`provider(**shown)` gives the notes of `page` (a URL name, e.g. 'budget:execution'); called from
    an AppConfig.ready, once per provider."""
    providers = _providers.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def notes_for(page: str, **shown) -> list[Note]:
    """Every registered provider's notes for the page, given what the page shows (its keyword arguments)."""
    return [note for provider in _providers.get(page, []) for note in provider(**shown)]
