"""What every project admin page shares: changes are recorded as made through the admin, and pages the
administrator (superuser) alone opens. Who sees which records on the other pages follows
staffing.permissions (staffing.admin_scope).

People and permissions (Django's users and groups, django-axes' login records) are the administrator's
alone, registered here again on top of their own apps' admin pages; nobody changes their own roles or
permissions, the administrator included (their own superuser, staff and active flags, groups and
permissions are read-only on their own user page)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from civicbureau import audit


class AuditedAdmin(SimpleHistoryAdmin):
    """Every save and delete here is in the history with the user and the reason 'admin'."""

    def save_model(self, request, obj, form, change):
        obj._change_reason = audit.How.ADMIN
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj._change_reason = audit.How.ADMIN
        super().delete_model(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to an earlier version is a change of the record as it is now: django-simple-history
        checks only the old version, and lets a view permission do it."""
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class SuperuserOnlyAdmin:
    """Opens for the administrator (superuser) only, whatever model permissions another login holds."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


# What a person may never change on their own user page: their roles and permissions.
OWN_USER_READONLY = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]


class OwnRolesReadOnly:
    """On the user page: the administrator does not change their own flags, groups or permissions."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, *OWN_USER_READONLY] if obj is not None and obj.pk == request.user.pk else fields


def superuser_only(model, *mixins) -> None:
    """Register `model`'s admin page again as the administrator's only (when its app registered one)."""
    if not admin.site.is_registered(model):
        return
    registered = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(registered.__name__, (*mixins, SuperuserOnlyAdmin, registered), {}))


def superuser_only_people() -> None:
    """Django's users and groups and django-axes' login records (registered before this app's admin module)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    superuser_only(get_user_model(), OwnRolesReadOnly)
    for model in (Group, AccessAttempt, AccessLog, AccessFailureLog):
        superuser_only(model)


superuser_only_people()
