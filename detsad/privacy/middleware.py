"""Apply the access windows (privacy.window) to every request's actor."""

from django.utils.functional import SimpleLazyObject

from detsad.core.middleware import build_actor

from .window import restrict_actor


class AccessWindowMiddleware:
    """Rebuild ``request.actor`` lazily without the roles whose access has ended.

    Placed right after core's ActorMiddleware, whose lazy actor it replaces.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: _actor(request))
        return self.get_response(request)


def _actor(request):
    actor = build_actor(request)
    if actor.user is None or not actor.user.is_authenticated:
        return actor
    return restrict_actor(actor)
