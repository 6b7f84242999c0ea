from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _


def site(request: HttpRequest | None) -> dict[str, object]:
    return {"site_name": settings.MASSLINE_SITE_NAME or _("massline")}
