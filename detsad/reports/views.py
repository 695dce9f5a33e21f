"""The reports index: every report other apps register in their menus (section «Отчёты»)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from detsad.core.registry import menu_for

SECTION = "Отчёты"


@login_required
def index(request):
    items = dict(menu_for(request.actor)).get(SECTION, [])
    return render(request, "reports/index.html", {"items": items})
