"""Root URL configuration: each app mounts its own urls.py."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Детсад — администрирование"
admin.site.site_title = "Детсад"

urlpatterns = [
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}detsad/favicon.svg", permanent=True),
    ),
    path("", include("detsad.core.urls")),
    path("accounts/", include("detsad.accounts.urls")),
    path("people/", include("detsad.people.urls")),
    path("movement/", include("detsad.movement.urls")),
    path("privacy/", include("detsad.privacy.urls")),
    path("attendance/", include("detsad.attendance.urls")),
    path("fees/", include("detsad.fees.urls")),
    path("reports/", include("detsad.reports.urls")),
    path("api/", include("detsad.api.urls")),
    path("admin/", admin.site.urls),
]
