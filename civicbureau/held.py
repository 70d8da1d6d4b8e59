"""Nothing typed is lost: an entry form's save that arrives after the session ended is held for the same
person, who finds the figures filled in again (not saved) when they sign in and open the page, with a
message to check and save them.

A form opts in three ways:
- its view is decorated with @holds_expired_post (above @login_required);
- its template includes "includes/held_token.html" inside the <form>;
- its view, drawing the form on a GET, binds it to held_post_take(request) (None when nothing is held).

The session that would say whose the figures are has ended, so the form carries a token, signed with the
user's id and the page's address and valid HELD_POST_SECONDS after it was drawn. A forged, expired or
another page's token holds nothing. The figures are kept in HeldPost under that user and address, shown
once to that user only and then deleted; held figures older than HELD_POST_SECONDS are deleted unseen.
The CSRF token (cookie-based, so the late POST passes its check; signing in rotates it) and passwords are
never kept.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbureau import security
from civicbureau.models import HeldPost

TOKEN_FIELD = "held_token"
SALT = "civicbureau.held"
NEVER_HELD = {"csrfmiddlewaretoken", TOKEN_FIELD}


def held_token(request) -> str:
    """The token an opted-in form carries: whose page this is, and its address."""
    return signing.dumps({"user": request.user.pk, "path": request.get_full_path()}, salt=SALT)


def held_token_user(token: str, path: str) -> int | None:
    """The user id a token names for this address, or None when it is forged, expired or another page's."""
    try:
        value = signing.loads(token, salt=SALT, max_age=settings.HELD_POST_SECONDS)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(value, dict) or value.get("path") != path or not isinstance(value.get("user"), int):
        return None
    return value["user"]


def _kept_fields(post: QueryDict) -> dict[str, list[str]]:
    return {key: values for key, values in post.lists() if key not in NEVER_HELD and "password" not in key.lower()}


def _oldest_kept() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.HELD_POST_SECONDS)


def held_post_hold(request) -> bool:
    """Holds an anonymous POST for the user its token names (True), or nothing (False). Old held posts
    of anyone are deleted on the way."""
    path = request.get_full_path()
    token = request.POST.get(TOKEN_FIELD, "")
    if not token:
        return False
    user_id = held_token_user(token, path)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id is not None else None
    if user is None:
        security.log("held_post_refused", request, path=path)
        return False
    HeldPost.objects.filter(held_at__lt=_oldest_kept()).delete()
    HeldPost.objects.update_or_create(
        user=user, path=path, defaults={"data": _kept_fields(request.POST), "held_at": timezone.now()}
    )
    security.log("post_held", request, user=user.get_username(), path=path)
    return True


def held_post_take(request) -> QueryDict | None:
    """What the signed-in person sent to this page after their session ended, as form data (deleted
    here: shown once), with a message saying so; None when nothing is held for them here."""
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    path = request.get_full_path()
    held = HeldPost.objects.filter(user=request.user, path=path, held_at__gte=_oldest_kept()).first()
    if held is None:
        return None
    deleted, _rows = HeldPost.objects.filter(pk=held.pk).delete()
    if not deleted:  # another request of theirs took it first
        return None
    data = QueryDict(mutable=True)
    for key, values in held.data.items():
        data.setlist(key, values)
    messages.warning(
        request, _("세션이 끝나기 전에 입력한 값을 채워 두었습니다. 아직 저장되지 않았습니다: 확인하고 저장하세요.")
    )
    security.log("held_post_restored", request, path=path)
    return data


def holds_expired_post(view):
    """A POST that arrives without a session is sent to the login page (and back here afterwards), its
    fields held for the person its token names (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            if held_post_hold(request):
                messages.warning(
                    request,
                    _(
                        "세션이 끝나 저장하지 못했습니다. 입력한 값은 보관해 두었습니다: "
                        "다시 로그인하면 그 화면에 채워 보여 드립니다."
                    ),
                )
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
