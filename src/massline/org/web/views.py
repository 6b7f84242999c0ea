"""Public pages of the organisation: the administrative tree and the directory of units."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from massline.org import selectors
from massline.org.models import Area


def area_browse(request: HttpRequest, code: str | None = None) -> HttpResponse:
    area = get_object_or_404(Area, code=code, is_active=True) if code else None
    context = {
        "area": area,
        "ancestors": selectors.area_ancestors(area) if area else [],
        "children": selectors.area_children(parent=area),
        "units": selectors.unit_list(public=True).filter(area=area) if area else [],
    }
    return render(request, "org/areas.html", context)


def unit_directory(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_list(public=True).order_by("path")
    query = request.GET.get("q", "").strip()
    if query:
        from django.db.models import Q

        units = units.filter(Q(name_zh__icontains=query) | Q(name_en__icontains=query))
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(request, "org/units.html", {"page": page, "query": query})
