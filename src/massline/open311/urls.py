from django.urls import path, re_path

from . import views

app_name = "open311"

FORMAT = r"(?P<fmt>json|xml)"

urlpatterns = [
    re_path(rf"^discovery\.{FORMAT}$", views.discovery, name="discovery"),
    re_path(rf"^v2/services\.{FORMAT}$", views.services, name="services"),
    re_path(rf"^v2/services/(?P<code>[^/]+)\.{FORMAT}$", views.service_definition, name="service"),
    re_path(rf"^v2/requests\.{FORMAT}$", views.requests_view, name="requests"),
    re_path(rf"^v2/requests/(?P<code>[^/]+)\.{FORMAT}$", views.request_detail, name="request"),
    re_path(rf"^v2/tokens/(?P<token_id>[^/]+)\.{FORMAT}$", views.token, name="token"),
    path("<path:path>", views.not_found),
]
