"""The header's bureau switcher (templates/base.html): the bureau a page is about, a link to the city home,
and each bureau linking to the same page in that bureau where it has one."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from civicbureau.publication import reference_cached
from staffing.middleware import bureau_url, city_url, page_path
from staffing.models import Bureau
from staffing.permissions import membership_of
from staffing.selectors import bureau_list, bureau_read

# A bureau's public pages that every bureau has at the same address: the switcher keeps the page.
SAME_PAGE = {
    "portal:home",
    "portal:organisation",
    "portal:glossary",
    "budget:execution",
    "programs:schedule",
    "programs:program_list",
}
# Pages whose address names something of the bureau's own (a program's slug): the other bureau's list.
NEAREST_PAGE = {"programs:program_detail": "programs:program_list"}


@dataclass
class BureauSwitcher:
    current: Bureau | None  # None: a page of the whole city, or an unknown bureau's address
    choices: list[tuple[Bureau, str]]  # every bureau, by name, with the address it switches to
    city_home: str

    @property
    def shown(self) -> bool:
        """Only a city of two bureaus or more has anything to switch (the demo's header stays as it was)."""
        return len(self.choices) > 1


def bureau_switcher(request) -> dict:
    """`bureau_switcher`, read only when a template draws it (the error pages never do). The list of
    bureaus is kept until a bureau is saved (publication.reference_cached): no query on a page once kept."""
    return {"bureau_switcher": SimpleLazyObject(lambda: _switcher(request))}


def _switcher(request) -> BureauSwitcher:
    bureaus = reference_cached(("bureau-list",), bureau_list)
    return BureauSwitcher(
        current=_current(request, bureaus),
        choices=[(bureau, bureau_url(bureau.slug, _page(request))) for bureau in bureaus],
        city_home=city_url(reverse("city:home")),
    )


def _current(request, bureaus: list[Bureau]) -> Bureau | None:
    """The bureau the address names; else the one the page read (a public page: the default one); else
    the person's own, else the default one (staffing.selectors.internal_bureau), from the kept list."""
    match = request.resolver_match
    if match is None or match.namespace == "city":
        return None
    slug = getattr(request, "bureau_slug", None)
    if slug:
        return next((b for b in bureaus if b.slug == slug), None)
    read = bureau_read(request)
    if read is not None:
        return next((b for b in bureaus if b.pk == read.pk), None)
    membership = membership_of(getattr(request, "user", None))
    own = membership.bureau_id if membership is not None else None
    return next((b for b in bureaus if b.pk == own), None) or min(bureaus, key=lambda b: b.pk, default=None)


def _page(request) -> str:
    """The page to open in another bureau: this one, its nearest, else the bureau's home."""
    match = request.resolver_match
    name = match and match.view_name
    if name in SAME_PAGE:
        return request.path_info
    if name in NEAREST_PAGE:
        return page_path(reverse(NEAREST_PAGE[name]))
    return "/"
