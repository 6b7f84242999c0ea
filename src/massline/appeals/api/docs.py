"""The API's documentation page, served by the application itself. ninja's own page loads Swagger UI from a CDN
with an inline script unless ninja is an installed app; this one uses the Swagger UI files that ship inside
the ninja package, served from ``<api>/docs/assets/``, with no inline script, so it works offline and under
the strict Content Security Policy (``script-src 'self'``)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.html import escape, json_script
from ninja import NinjaAPI, Router
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.svg", "favicon.png"})
ASSET_MAX_AGE = 24 * 3600

assets = Router()


class SelfHostedSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        base = reverse(f"{api.urls_namespace}:docs_asset", args=["-"]).removesuffix("-")
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True}
        page = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(api.title)}</title>\n"
            f'<link rel="stylesheet" href="{base}swagger-ui.css">\n'
            f'<link rel="icon" href="{base}favicon.svg" type="image/svg+xml">\n'
            "</head>\n<body>\n"
            f"{json_script(settings, 'swagger-settings')}\n"
            '<div id="swagger-ui"></div>\n'
            f'<script src="{base}swagger-ui-bundle.js"></script>\n'
            f'<script src="{base}swagger-ui-init.js"></script>\n'
            "</body>\n</html>\n"
        )
        return HttpResponse(page)


@assets.get("/docs/assets/{name}", include_in_schema=False, url_name="docs_asset")
def docs_asset(request: HttpRequest, name: str) -> HttpResponseBase:
    if name not in ASSETS:
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}"
    return response
