"""URLs of the children spreadsheet import (mounted under /movement/ by urls.py)."""

urlpatterns: list = []
