"""Cross-organization access: every URL that takes an object id answers 404 to everyone
outside the object's scope (DESIGN.md §4, cases C18).

The URL patterns are enumerated from the resolver, so a new page is covered without
editing this test; its keywords must have a builder in some app's ``tests/foreign.py``
(the test fails naming the keyword otherwise).

For each pattern and each role of organization A it requests the object of organization B
(same municipality); the department officer of the first municipality requests the
object of organization C (another municipality); a parent also requests another family's
child and an educator another group's child. GET first; a POST-only view is POSTed. The
answer must be 404, with nothing written (each request runs in the test's transaction and
the audit trail is checked for writes).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from detsad.core.models import AuditRecord

SKIP_NAMESPACES = {"admin"}
ORG_ROLES = ["head", "coordinator", "sysadmin", "educator", "hr", "parent", "committee_rep"]


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]
    converters: tuple[str, ...]


def _walk(patterns, namespace="", converters=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in SKIP_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(p.url_patterns, full, {**(converters or {}), **p.pattern.converters})
        elif isinstance(p, URLPattern) and p.name:
            conv = {**(converters or {}), **p.pattern.converters}
            names = tuple(sorted(p.pattern.regex.groupindex))
            if names:
                yield Route(
                    f"{namespace}:{p.name}" if namespace else p.name,
                    names,
                    tuple(type(conv.get(n)).__name__ for n in names),
                )


def routes() -> list[Route]:
    seen, result = set(), []
    for r in _walk(get_resolver().url_patterns):
        if r.name not in seen:
            seen.add(r.name)
            result.append(r)
    return result


def builders() -> dict:
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("detsad."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.foreign")
        except ModuleNotFoundError:
            continue
        found.update(module.FOREIGN)
    return found


ROUTES = routes()


def _cases():
    for route in ROUTES:
        for role in ORG_ROLES + ["dept_officer"]:
            targets = ["org_c"] if role == "dept_officer" else ["org_b"]
            if role == "parent":
                targets.append("other_family")
            if role == "educator":
                targets.append("other_group")
            for target in targets:
                yield pytest.param(route, role, target, id=f"{route.name}-{role}-{target}")


def _statuses(client, url) -> dict[str, int]:
    """Both GET and POST: a page that also handles a form must refuse both."""
    return {"GET": client.get(url).status_code, "POST": client.post(url, {}).status_code}


@pytest.mark.parametrize(("route", "role", "target"), list(_cases()))
def test_object_outside_scope_is_404(world, as_role, route, role, target):
    build = builders()
    kwargs = {}
    for name in route.kwargs:
        assert name in build, f"{route.name}: no foreign-object builder for URL keyword «{name}»"
        value = build[name](world, target)
        if value is None:
            return  # this kind of object has no such variant (e.g. a group has no "other family")
        kwargs[name] = value
    client = as_role(role, org="a")
    url = reverse(route.name, kwargs=kwargs)
    before = AuditRecord.objects.exclude(action__in=["access", "denied"]).count()
    statuses = _statuses(client, url)
    # 404 for the object outside the scope; 405 only for the method the view does not serve.
    assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (
        f"{role} got {statuses} for {url} ({target})"
    )
    assert AuditRecord.objects.exclude(action__in=["access", "denied"]).count() == before, (
        "something was written"
    )


def test_every_keyword_has_a_builder():
    build = builders()
    missing = sorted({(r.name, k) for r in ROUTES for k in r.kwargs if k not in build})
    assert not missing, f"URL keywords without foreign-object builders: {missing}"
