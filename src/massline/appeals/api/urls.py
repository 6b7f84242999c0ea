"""``include("massline.appeals.api.urls")`` mounts the API; its namespace (``api-1``) is the one ninja reverses
its own schema and docs addresses in."""

from .site import api

urlpatterns, _app_name, _namespace = api.urls
app_name = api.urls_namespace
