from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "detsad.fees"
    verbose_name = "Родительская плата"
