"""The system status page for administrators: is the worker alive, how much work is queued."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from massline.accounts.permissions import is_platform_admin
from massline.core import clock
from massline.core.models import Heartbeat
from massline.core.services import worker_check_request
from massline.org.calendar import missing_holiday_years


@login_required
@require_http_methods(["GET", "POST"])
def system_status(request: HttpRequest) -> HttpResponse:
    """Platform administrators see the worker's last sign of life and can ask a worker to prove it is running."""
    if not is_platform_admin(request.user):
        raise Http404
    if request.method == "POST":
        worker_check_request(actor=request.user)
        messages.success(request, _("A check was queued. A running worker will answer within a few seconds."))
        return redirect("core:system_status")
    heartbeat = Heartbeat.objects.filter(name="worker").first()
    context = {
        "missing_holiday_years": missing_holiday_years(clock.today()),
        "heartbeat": heartbeat,
        "heartbeat_age": (clock.now() - heartbeat.last_seen) if heartbeat else None,
        "queued": _queued_task_count(),
    }
    return render(request, "core/system_status.html", context)


def _queued_task_count() -> int | None:
    from django.conf import settings

    if settings.TASK_BACKEND != "db":
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()
