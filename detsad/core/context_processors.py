"""Template context: the actor, the menu and the organization switcher."""

from .registry import menu_for


def detsad(request):
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"actor": actor}
    return {"actor": actor, "menu": menu_for(actor)}
