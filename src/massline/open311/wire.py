"""The GeoReport v2 wire format (http://wiki.open311.org/GeoReport_v2), in JSON and in XML, and its errors.

The same Python structure renders both: a list of dicts becomes a JSON array or an XML root holding one element
per item (``services`` → ``service``, ``service_requests`` → ``request``, ``errors`` → ``error``); a dict
becomes an object or an element with one child per key; a list inside an item becomes a container of
``ITEM_NAMES`` children (``attributes`` → ``attribute``, ``values`` → ``value``, ``endpoints`` → ``endpoint``,
``formats`` → ``format``). None becomes JSON null and an empty XML element."""

from __future__ import annotations

import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "keywords": "keyword",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def _fill(element: Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(SubElement(element, key), item)
    elif isinstance(value, list):
        child_name = ITEM_NAMES.get(element.tag, "item")
        for item in value:
            _fill(SubElement(element, child_name), item)
    else:
        element.text = _text(value)


def render(data: Any, *, root: str, fmt: str, status: int = 200) -> HttpResponse:
    """``data`` as the response body in ``fmt`` ("json" or "xml"), under the XML root element ``root``."""
    if fmt == "xml":
        element = Element(root)
        _fill(element, data)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + tostring(element, encoding="utf-8", xml_declaration=False)
    else:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def errors(status: int, description: str, *, fmt: str) -> HttpResponse:
    """The specification's error body: a list of ``code`` + ``description`` (root ``errors`` in XML)."""
    return render([{"code": status, "description": description}], root="errors", fmt=fmt, status=status)
