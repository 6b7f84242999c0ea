from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from massline.accounts.permissions import can_read_audit
from massline.audit.selectors import audit_record_list


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    """The ledger for discipline inspectors and platform administrators; not-found for everyone else."""
    if not can_read_audit(request.user):
        raise Http404
    records = audit_record_list(
        user=request.user, target_type=request.GET.get("type", ""), target_id=request.GET.get("id", "")
    )
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "audit/records.html", {"page": page})
