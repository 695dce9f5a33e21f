from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "detsad.api"
    verbose_name = "API"
