from django.urls import path

from . import audit_views, views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organization/", views.organization_detail, name="organization"),
    path("organization/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/", views.organization_list, name="organization_list"),
    path(
        "organizations/<int:organization_pk>/",
        views.organization_detail,
        name="organization_detail",
    ),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:group_pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:group_pk>/archive/", views.group_archive, name="group_archive"),
    path("calendar/", views.work_calendar, name="calendar"),
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path(
        "calendar/<int:override_pk>/delete/",
        views.calendar_override_delete,
        name="calendar_override_delete",
    ),
]
