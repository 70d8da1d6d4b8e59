"""What every project admin page shares: changes are recorded as made through the admin (the
division-scoped admin built on it lives with the permissions, in staffing)."""

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
