"""Log in with a username or an e-mail address (one login per person)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class UsernameOrEmailBackend(ModelBackend):
    """ModelBackend that also accepts the e-mail (case-insensitive) as the login.

    Blocked accounts (``User.blocked_at``) cannot log in.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        login = username.strip()
        users = list(User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login))[:2])
        if len(users) != 1:
            User().set_password(password)  # equalize timing with a real check
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.blocked_at is None
