from django.urls import path  # noqa: F401

from .import_urls import urlpatterns as import_urlpatterns

app_name = "movement"

urlpatterns: list = [
    *import_urlpatterns,
]
