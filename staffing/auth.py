"""Authentication: Django's ModelBackend, reading the user's membership (bureau, division, role) in the
same query as the user, since nearly every internal page asks for it (permissions.py)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("membership__bureau", "membership__division")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
