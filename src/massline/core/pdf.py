"""Printable documents: a template rendered to PDF by WeasyPrint, self-contained."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context`` to PDF bytes. No protocol is allowed while rendering: the document
    is self-contained, and text a citizen wrote can never make the renderer reach a file or a network address."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    return bytes(HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf())
