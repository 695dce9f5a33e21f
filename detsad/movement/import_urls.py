"""URLs of the children spreadsheet import (mounted under /movement/ by urls.py)."""

from django.urls import path

from . import import_views

urlpatterns: list = [
    path("children/import/", import_views.children_import_page, name="children_import"),
    path("children/import/done/", import_views.children_import_done, name="children_import_done"),
    path(
        "children/import/template.xlsx",
        import_views.children_import_template,
        name="children_import_template",
    ),
]
