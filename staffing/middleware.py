"""Every page of a bureau under /b/<slug>/: the prefix names the bureau, and the rest of the path is the
page as the default bureau has it at its old address (/b/<slug>/execution/ is /execution/ for that bureau).

The prefix is taken off the path before Django resolves it and set as the request's script prefix, so
that every address the page reverses (`{% url %}`, redirects, the login's next) keeps the bureau, as a
site served under a sub-path does: no view or template names the bureau in its links. The bureau itself
is read when a page asks for it (staffing.selectors.request_bureau); an unknown slug is a 404 there."""

import re

from django.http import HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix

PREFIX = "b"
_PREFIXED = re.compile(rf"^/{PREFIX}/(?P<slug>[-a-z0-9]+)(?P<rest>/.*)?$")


def bureau_prefix(slug: str) -> str:
    return f"/{PREFIX}/{slug}/"


def site_prefix() -> str:
    """The script prefix without a bureau's ('/' for a site at the root): where the city's own pages are,
    whichever bureau's page the request is for."""
    return re.sub(rf"{PREFIX}/[-a-z0-9]+/$", "", get_script_prefix())


def bureau_url(slug: str, path_info: str = "/") -> str:
    """The address of a page (its path as the default bureau has it, '/execution/') in the bureau `slug`,
    from any request: the switcher's and the city home's links."""
    return site_prefix().rstrip("/") + bureau_prefix(slug) + path_info.lstrip("/")


def page_path(address: str) -> str:
    """The page of a reversed address, as the default bureau has it: '/execution/' for '/b/x/execution/'."""
    return "/" + address.removeprefix(get_script_prefix())


def city_url(address: str) -> str:
    """A reversed address of a page of the whole city (/city/) without the bureau the request is for."""
    return site_prefix().rstrip("/") + page_path(address)


class BureauPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.bureau_slug = None
        match = _PREFIXED.match(request.path_info)
        if match is None:
            return self.get_response(request)
        if match["rest"] is None:  # /b/<slug> → /b/<slug>/
            return HttpResponsePermanentRedirect(request.get_full_path().replace(match[0], match[0] + "/", 1))
        request.bureau_slug = match["slug"]
        request.path_info = match["rest"]
        previous = get_script_prefix()
        set_script_prefix(previous.rstrip("/") + bureau_prefix(match["slug"]))
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous)
