"""URLs. The language comes from the visitor's choice (cookie) or browser (Accept-Language), not from the
path, so every address works in both languages and can be shared as is."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from massline.core.metrics import metrics_view
from massline.intelligence.web import views as intelligence_views
from massline.open311 import views as open311_views
from massline.portal.web import views as portal_views

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", portal_views.healthz, name="healthz"),
    path("readyz", portal_views.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("", include("massline.portal.web.urls")),
    path("accounts/", include("massline.accounts.web.urls")),
    path("appeals/", include("massline.appeals.web.urls")),
    path("api/v1/", include("massline.appeals.api.urls")),
    path("open311/", include("massline.open311.urls")),
    path("open-data/", open311_views.open_data, name="open_data"),
    path("open-data/<str:day>/<str:name>", open311_views.open_data_file, name="open_data_file"),
    path("scorecards/", include("massline.evaluation.web.urls")),
    path("hot-issues/", include("massline.intelligence.web.urls")),
    path("consultations/", include("massline.consultations.web.urls")),
    path("proactive/", intelligence_views.proactive, name="proactive"),
    path("notifications/", include("massline.notifications.web.urls")),
    path("org/", include("massline.org.web.urls")),
    path("audit/", include("massline.audit.web.urls")),
    path("system/", include("massline.core.web.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
