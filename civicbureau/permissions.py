"""Who may do what to which division's figures, in one place: every view, service and admin page asks here.

- Division staff (주무관) and the division director (과장) enter and correct their own division's figures.
- The division director approves or returns their division's submitted month; the bureau director (국장)
  and the bureau's planning staff (기획 담당) approve or return any division of their bureau.
- Every member of the bureau reads everything internal; anonymous visitors see public pages only.
- The administrator keeps reference data in the Django admin; they hold no membership, so the entry pages
  let them read but never enter or approve figures.
"""

from django.core.exceptions import ObjectDoesNotExist

from staffing.models import Membership

VIEW = "view"
EDIT = "edit"
APPROVE = "approve"
ACTIONS = (VIEW, EDIT, APPROVE)


def membership_of(user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.membership
    except ObjectDoesNotExist:
        return None


def can_view_internal(user) -> bool:
    """Internal pages (entry board, grids, history): any bureau member, and the administrator."""
    return membership_of(user) is not None or bool(getattr(user, "is_superuser", False))


def can_edit_division(user, division) -> bool:
    """Enter, import and correct the division's figures: its own staff and director only."""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role in Membership.DIVISION_ROLES
        and division is not None
        and membership.division_id == division.pk
    )


def can_approve(user, division) -> bool:
    """Approve or return the division's submitted month: its director, or the bureau's director and planning staff."""
    membership = membership_of(user)
    if membership is None or division is None:
        return False
    if membership.role == Membership.Role.DIRECTOR:
        return membership.division_id == division.pk
    if membership.role in (Membership.Role.BUREAU_DIRECTOR, Membership.Role.PLANNING):
        return membership.bureau_id == division.bureau_id
    return False


def restrict(queryset, user, action: str):
    """The rows of `queryset` the user may `action` (view, edit, approve).

    The model names the path from itself to its Division in `DIVISION_PATH` ("" for Division itself),
    so one helper serves every division-scoped model. The superuser sees every row for `view` only.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    path = queryset.model.DIVISION_PATH
    division_key = path or "pk"
    bureau_key = f"{path}__bureau" if path else "bureau"
    membership = membership_of(user)
    if action == VIEW:
        if getattr(user, "is_superuser", False):
            return queryset
        if membership is None:
            return queryset.none()
        return queryset.filter(**{bureau_key: membership.bureau_id})
    if membership is None:
        return queryset.none()
    if action == EDIT:
        if membership.role not in Membership.DIVISION_ROLES:
            return queryset.none()
        return queryset.filter(**{division_key: membership.division_id})
    if membership.role == Membership.Role.DIRECTOR:
        return queryset.filter(**{division_key: membership.division_id})
    if membership.role in (Membership.Role.BUREAU_DIRECTOR, Membership.Role.PLANNING):
        return queryset.filter(**{bureau_key: membership.bureau_id})
    return queryset.none()
