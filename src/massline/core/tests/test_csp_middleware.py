"""The cached Content-Security-Policy header is the one django-csp builds, and what changes the policy for one
response (a nonce, a view's own policy) still goes through django-csp."""

from csp.constants import NONCE, SELF
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from massline.core.middleware import ContentSecurityPolicyMiddleware


def _answer(
    response: HttpResponse, *, nonce: bool = False, middleware_class: type = ContentSecurityPolicyMiddleware
) -> HttpResponse:
    def view(request):  # type: ignore[no-untyped-def]
        if nonce:
            str(request.csp_nonce)  # a template asking for a nonce
        return response

    middleware = middleware_class(view)
    return middleware(RequestFactory().get("/"))


def test_a_plain_response_gets_the_settings_policy_and_views_can_still_change_it() -> None:
    header = _answer(HttpResponse("x"))["Content-Security-Policy"]
    assert "default-src 'self'" in header and "object-src 'none'" in header
    assert _answer(HttpResponse("y"))["Content-Security-Policy"] == header  # from the cache, the same
    assert _answer(HttpResponse("y"), middleware_class=CSPMiddleware)["Content-Security-Policy"] == header

    updated = HttpResponse("z")
    updated._csp_update = {"img-src": ["https://tiles.example.org"]}  # type: ignore[attr-defined]
    assert "https://tiles.example.org" in _answer(updated)["Content-Security-Policy"]

    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [SELF, NONCE]}}):
        assert "'nonce-" not in _answer(HttpResponse("p"))["Content-Security-Policy"]
        with_nonce = _answer(HttpResponse("n"), nonce=True)["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in with_nonce  # each response its own

    exempt = HttpResponse("e")
    exempt._csp_exempt = True  # type: ignore[attr-defined]
    assert "Content-Security-Policy" not in _answer(exempt)


def test_the_header_is_built_once_for_plain_responses(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from massline.core import middleware

    _answer(HttpResponse("warm"))
    built: list[dict[str, object]] = []

    def counting(**parts: object) -> str:
        built.append(parts)
        return "default-src 'none'"

    monkeypatch.setattr(middleware, "build_policy", counting)
    for _ in range(3):
        assert "Content-Security-Policy" in _answer(HttpResponse("x"))
    assert built == []  # served from the cache


def test_other_settings_get_their_own_header() -> None:
    before = _answer(HttpResponse("x"))["Content-Security-Policy"]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert _answer(HttpResponse("x"))["Content-Security-Policy"].startswith("default-src 'none'")
    assert _answer(HttpResponse("x"))["Content-Security-Policy"] == before
