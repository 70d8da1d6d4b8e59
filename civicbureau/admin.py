"""What every project admin page shares: changes are recorded as made through the admin, and pages of
division-scoped figures show and change only the divisions the person may edit (the superuser: all)."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from civicbureau import audit
from civicbureau.permissions import EDIT, can_edit_division, membership_of, restrict
from staffing.models import Membership


def division_of(obj):
    """The Division a division-scoped record belongs to, following the model's DIVISION_PATH."""
    for part in filter(None, obj.DIVISION_PATH.split("__")):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class AuditedAdmin(SimpleHistoryAdmin):
    """Every save and delete here is in the history with the user and the reason 'admin'."""

    def save_model(self, request, obj, form, change):
        obj._change_reason = audit.ADMIN
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj._change_reason = audit.ADMIN
        super().delete_model(request, obj)


class DivisionScopedAdmin(AuditedAdmin):
    """A staff member with admin access cannot see or change another division's figures here either."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else restrict(queryset, request.user, EDIT)

    def _may_edit(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            membership = membership_of(request.user)
            return membership is not None and membership.role in Membership.DIVISION_ROLES
        return can_edit_division(request.user, division_of(obj))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self._may_edit(request, None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if not request.user.is_superuser and hasattr(related, "DIVISION_PATH"):
            kwargs["queryset"] = restrict(related._default_manager.all(), request.user, EDIT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not self._may_edit(request, obj):  # a crafted POST naming another division's record
            raise PermissionDenied
        super().save_model(request, obj, form, change)
