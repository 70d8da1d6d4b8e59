"""What send_reminders has mailed: one row per person, item and day, written once the SMTP server accepted
the mail, so that a second run on the same day sends nothing twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReminderSent(models.Model):
    """A reminder of one item of 내 할 일 (its key, worklist.services.item_key) mailed to a person on a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent", verbose_name=_("사용자")
    )
    item_key = models.CharField(_("항목"), max_length=200)
    sent_on = models.DateField(_("보낸 날"))
    sent_at = models.DateTimeField(_("보낸 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("보낸 알림")
        verbose_name_plural = pgettext_lazy("plural", "보낸 알림")
        ordering = ["-sent_on", "user", "item_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item_key", "sent_on"],
                name="reminder_sent_once_a_day",
                violation_error_message=_("이 항목은 오늘 이미 이 사람에게 알렸습니다."),
            )
        ]

    def __str__(self):
        return f"{self.user} {self.item_key} {self.sent_on}"
