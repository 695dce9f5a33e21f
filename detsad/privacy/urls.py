from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path(
        "children/<int:child_pk>/personal-data.json",
        views.child_export,
        {"fmt": "json"},
        name="child_export_json",
    ),
    path(
        "children/<int:child_pk>/personal-data.pdf",
        views.child_export,
        {"fmt": "pdf"},
        name="child_export_pdf",
    ),
    path("guardians/<int:guardian_pk>/consents/add/", views.consent_add, name="consent_add"),
    path("consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
