"""The kernel's own table: what a person typed and sent after their session ended (civicbureau.held)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HeldPost(models.Model):
    """A form's fields as a person sent them after their session had ended: kept for that person only,
    until they sign in again and open the same page, where the figures are filled in (not saved) for
    them to check and save; then deleted. Never holds a password or the CSRF token."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("사용자")
    )
    path = models.CharField(_("주소"), max_length=2000)
    data = models.JSONField(_("입력한 값"))
    held_at = models.DateTimeField(_("보관한 시각"), default=timezone.now)

    class Meta:
        verbose_name = _("보관된 입력")
        verbose_name_plural = _("보관된 입력")
        ordering = ["held_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "path"],
                name="held_post_one_per_user_and_path",
                violation_error_message=_("한 사람의 한 화면에는 보관된 입력이 하나만 있습니다."),
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.path}"
