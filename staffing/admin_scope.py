"""Who sees and changes which records in the Django admin: the rules of staffing.permissions, for every
model registered there (tests/test_admin_scope.py walks them all).

- DivisionScope: a division's records (a model with a division path in permissions.py: budget lines,
  figures, milestones, programs, indicators, headcount …) for who may edit that division, its staff and
  director (can_edit_division); nobody else but the administrator.
- BureauScope: the bureau's reference data (permissions.BUREAU_PATHS: the bureau, its divisions, plan,
  pace targets, centres' figures …) for its director and planning staff (can_keep_reference_data).
- civicbureau.admin.SuperuserOnlyAdmin: people and permissions, and data that belongs to no bureau.

The list, the change, add, delete and history pages, each foreign key's choices and the inlines all follow
the same rule, and a save is checked again on the record as it would be saved, so a record can neither be
reached in another division (or bureau) nor moved there. A record out of reach is not found (404).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from civicbureau.admin import AuditedAdmin
from staffing.models import Membership
from staffing.permissions import (
    BUREAU_ROLES,
    EDIT,
    bureau_path,
    can_edit_division,
    can_keep_reference_data,
    division_path,
    in_own_bureau,
    membership_of,
    restrict,
    restrict_reference_data,
)


def has_division_path(model) -> bool:
    try:
        division_path(model)
    except KeyError:
        return False
    return True


def follow(obj, path: str):
    """The record at the end of `path` ("a__b") from `obj`; `obj` itself for ""; None where a link is empty."""
    for part in filter(None, path.split("__")):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def division_of(obj):
    """The Division a division-scoped record belongs to (permissions.division_path)."""
    return follow(obj, division_path(type(obj)))


def bureau_of(obj):
    """The Bureau a record of reference data belongs to (permissions.bureau_path)."""
    return follow(obj, bureau_path(type(obj)))


class Scoped:
    """What both scopes share: the rule itself is `may(request, obj)` (obj None: may the user have any such
    record at all) and `scoped(queryset, user)`, given by each scope."""

    division_scoped = False  # True: a foreign key to a division's records offers the user's own division's only

    def may(self, request, obj) -> bool:
        raise NotImplementedError

    def scoped(self, queryset, user):
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scoped(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        """Out of the user's reach (or no such record): 404, not the admin's redirect to its index."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_module_permission(self, request):
        return super().has_module_permission(request) and self.may(request, None)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.may(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may(request, obj)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self.may(request, None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = choices_within_scope(db_field, request, kwargs, division_scoped=self.division_scoped)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not self.may(request, obj):  # a crafted POST naming, or moving the record to, another division
            raise PermissionDenied
        super().save_model(request, obj, form, change)


def choices_within_scope(db_field, request, kwargs, *, division_scoped: bool) -> dict:
    """A foreign key names only records within the user's reach: on a division's record, the user's own
    division's records; otherwise records of the user's bureau (models of no bureau: all)."""
    related = db_field.related_model
    if request.user.is_superuser:
        return kwargs
    queryset = kwargs.get("queryset", related._default_manager.all())
    if division_scoped and has_division_path(related):
        queryset = restrict(queryset, request.user, EDIT)
    else:
        queryset = in_own_bureau(queryset, request.user)
    return {**kwargs, "queryset": queryset}


class DivisionScope(Scoped):
    """A staff member with admin access cannot see or change another division's figures here either."""

    division_scoped = True

    def may(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            membership = membership_of(request.user)
            return membership is not None and membership.role in Membership.DIVISION_ROLES
        return can_edit_division(request.user, division_of(obj))

    def scoped(self, queryset, user):
        return queryset if user.is_superuser else restrict(queryset, user, EDIT)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser and db_field.name == first_step(self.model):
            field.required = True  # emptied, the record would leave the division
        return field


def first_step(model) -> str:
    """The first field on the way from a model to its division (its program, line, division …)."""
    return division_path(model).split("__")[0]


class BureauScope(Scoped):
    """The bureau's reference data: its director and planning staff keep their own bureau's."""

    def may(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            membership = membership_of(request.user)
            return membership is not None and membership.role in BUREAU_ROLES
        return can_keep_reference_data(request.user, bureau_of(obj))

    def scoped(self, queryset, user):
        return restrict_reference_data(queryset, user)


class DivisionScopedAdmin(DivisionScope, AuditedAdmin):
    """A division's audited records."""


class BureauScopedAdmin(BureauScope, AuditedAdmin):
    """A bureau's audited reference data."""


class TeamWithinDivision:
    """A record's team (a membership's, a budget line's) is one of the record's division's teams: on its
    change page the choices are that division's teams only; on the add page every team in reach, each named
    with its division. The model's clean() refuses another division's team whatever is posted."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        field = form.base_fields.get("team")
        if field is not None:
            field.queryset = field.queryset.select_related("division")
            if obj is not None:
                field.queryset = field.queryset.filter(division=obj.division_id)
            field.label_from_instance = lambda team: f"{team.division.name} · {team.name}"
        return form


class ScopedInline:
    """Rows edited on their parent's page: what the parent's page allows, foreign keys within the same scope."""

    def parent_admin(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.parent_admin().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.parent_admin().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self.parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.parent_admin().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scoped = self.parent_admin().division_scoped
        kwargs = choices_within_scope(db_field, request, kwargs, division_scoped=scoped)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedTabularInline(ScopedInline, admin.TabularInline):
    pass
