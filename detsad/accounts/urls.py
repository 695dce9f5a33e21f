from django.urls import path

from . import admin_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("password/set/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path("switch/", views.switch_context, name="switch"),
    path("security/", views.security, name="security"),
    path("security/logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("security/otp/setup/", views.otp_setup, name="otp_setup"),
    path("security/otp/verify/", views.otp_verify, name="otp_verify"),
    path("security/otp/remove/", views.otp_remove, name="otp_remove"),
    # the sysadmin's pages
    path("users/", admin_views.user_list, name="user_list"),
    path("users/<int:user_pk>/", admin_views.user_detail, name="user_detail"),
    path("users/<int:user_pk>/roles/add/", admin_views.membership_add, name="membership_add"),
    path(
        "users/<int:user_pk>/roles/<int:membership_pk>/remove/",
        admin_views.membership_remove,
        name="membership_remove",
    ),
    path(
        "users/<int:user_pk>/roles/<int:membership_pk>/groups/",
        admin_views.membership_groups,
        name="membership_groups",
    ),
    path("users/<int:user_pk>/reset/", admin_views.user_reset, name="user_reset"),
    *[
        path(
            f"users/<int:user_pk>/{action.replace('_', '-')}/",
            admin_views.user_action,
            {"action": action},
            name=f"user_{action}",
        )
        for action in ("block", "unblock", "logout", "unlock", "otp_reset")
    ],
    path(
        "guardians/<int:guardian_pk>/account/",
        admin_views.guardian_account,
        name="guardian_account",
    ),
    path("rights/", admin_views.rights, name="rights"),
    path("slips/", admin_views.slips, name="slips"),
    path("issues/", admin_views.issue_list, name="issue_list"),
    path("lockouts/", admin_views.lockouts, name="lockouts"),
    path("lockouts/address/", admin_views.address_unlock, name="address_unlock"),
]
