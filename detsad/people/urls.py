from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("children/", views.child_list, name="child_list"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/<int:child_pk>/", views.child_detail, name="child_detail"),
    path("children/<int:child_pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:child_pk>/archive/", views.child_archive, name="child_archive"),
    path("children/<int:child_pk>/guardians/add/", views.guardian_add, name="guardian_add"),
    path(
        "children/<int:child_pk>/guardians/<int:link_pk>/unlink/",
        views.guardian_unlink,
        name="guardian_unlink",
    ),
    path("guardians/", views.guardian_list, name="guardian_list"),
    path("guardians/<int:guardian_pk>/", views.guardian_detail, name="guardian_detail"),
    path("guardians/<int:guardian_pk>/edit/", views.guardian_edit, name="guardian_edit"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:staff_pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:staff_pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:staff_pk>/archive/", views.staff_archive, name="staff_archive"),
    path("staff/<int:staff_pk>/courses/add/", views.staff_course_add, name="staff_course_add"),
]
