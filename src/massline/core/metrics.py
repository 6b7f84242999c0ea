"""Prometheus metrics at ``/metrics`` (docs/observability.md, decision 0015).

Two kinds of figure, collected two ways:

- **per request** (count and latency by route name, method and status) is counted in the process that served
  the request. Under gunicorn (``massline serve``) every worker writes its counts to files in
  ``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode) and a scrape, whichever worker answers
  it, adds up all of them. Without that variable (``runserver``, tests) the process keeps them in memory.
- **the state of the platform** (tasks waiting in the queue, overdue appeals, notifications waiting to be
  sent, the worker's last sign of life) is read from the database when the scrape asks, by a few counts off
  partial indexes: the same answer from every worker and every app server, and nothing to keep in step.
  Aggregate them across app servers with ``max``, not ``sum``.

Access is limited by ``MASSLINE_METRICS_ALLOWED_IPS`` (addresses or networks; loopback by default) and, from
anywhere, by ``Authorization: Bearer <MASSLINE_METRICS_TOKEN>`` when a token is set.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from massline.core.client_ip import client_ip

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED = "<unmatched>"  # requests no URL pattern matched (404s for unknown paths): one label, not one each
STATIC = "<static>"  # static files

# The buckets bracket the product budget (100 ms p95 server time for pages) finely.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)

disable_created_metrics()  # the *_created series say when a process first counted; nobody graphs them
_requests = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "massline_http_requests",
    "HTTP requests answered, by route name, method and status.",
    ["route", "method", "status"],
    registry=_requests,
)
LATENCY = Histogram(
    "massline_http_request_duration_seconds",
    "Server time of HTTP requests (from the first middleware to the response), by route name, method and status.",
    ["route", "method", "status"],
    buckets=LATENCY_BUCKETS,
    registry=_requests,
)


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    labels = (route, method if method in _METHODS else "other", str(status))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class PlatformCollector(Collector):
    """Gauges read from the database at scrape time; each is a count off a partial index."""

    def collect(self) -> Iterator[Metric]:
        from massline.appeals.models import Appeal
        from massline.appeals.transitions import RUNNING_DEADLINE
        from massline.core import clock
        from massline.core.models import Heartbeat
        from massline.notifications.models import OutboxMessage, OutboxState

        now = clock.now()
        depth = GaugeMetricFamily(
            "massline_task_queue_depth",
            "Background tasks waiting to run now, by queue.",
            labels=["queue"],
        )
        for queue, waiting in sorted(_queue_depths().items()):
            depth.add_metric([queue], waiting)
        yield depth

        # The dispatcher's "overdue" queue, city-wide: open appeals in a state with an answer deadline, past it.
        overdue = Appeal.objects.filter(RUNNING_DEADLINE, due_at__lte=now).count()
        yield GaugeMetricFamily("massline_appeals_overdue", "Open appeals past their answer deadline.", value=overdue)

        backlog = OutboxMessage.objects.filter(state=OutboxState.PENDING, hold_for_digest=False).count()
        yield GaugeMetricFamily(
            "massline_notification_outbox_backlog",
            "Notifications waiting to be sent (not those held for a daily digest).",
            value=backlog,
        )

        heartbeat = Heartbeat.objects.filter(name="worker").values_list("last_seen", flat=True).first()
        if heartbeat is not None:
            yield GaugeMetricFamily(
                "massline_worker_heartbeat_age_seconds",
                "Seconds since a task worker last recorded itself (absent until one has).",
                value=max(0.0, (now - heartbeat).total_seconds()),
            )


def _queue_depths() -> dict[str, int]:
    """Tasks ready to run, by queue, for every configured queue (0 when empty)."""
    depths = dict.fromkeys(settings.TASK_QUEUES, 0)
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        for row in DBTaskResult.objects.ready().values("queue_name").annotate(n=Count("id")).order_by():
            depths[row["queue_name"]] = row["n"]
    elif backend == "django_tasks_rq.RQBackend":
        import django_rq

        for queue in depths:
            depths[queue] = django_rq.get_queue(queue).count
    return depths


def _allowed_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in settings.MASSLINE_METRICS_ALLOWED_IPS)


def metrics_allowed(request: HttpRequest) -> bool:
    """A scraper with the bearer token (when one is configured), or a client whose address (as lockouts read
    it, honouring PROXY_COUNT) is in the allowed networks."""
    token = settings.MASSLINE_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = _requests
    platform = CollectorRegistry()
    platform.register(PlatformCollector())
    return HttpResponse(generate_latest(requests) + generate_latest(platform), content_type=CONTENT_TYPE)
