"""What send_reminders has mailed, for the administrator to read; written by the command only."""

from django.contrib import admin

from civicbureau.admin import SuperuserOnlyAdmin
from worklist.models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ["sent_on", "user", "item_key", "sent_at"]
    list_filter = ["sent_on"]
    search_fields = ["user__username", "item_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
