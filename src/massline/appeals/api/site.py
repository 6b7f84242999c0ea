"""Version 1 of the JSON API (django-ninja), mounted at ``/api/v1/``: the schema at ``openapi.json``, the docs
page at ``docs``. Routers of other apps join here with ``api.add_router``."""

from __future__ import annotations

from ninja import NinjaAPI

from massline.consultations.api import router as consultations_router

from .docs import SelfHostedSwagger, assets
from .errors import install_error_handlers
from .routes import router
from .work import router as work_router

api = NinjaAPI(
    title="massline API",
    version="1",
    description=(
        "Public intake and tracking of appeals; public consultations (matters, comments, co-signatures, votes); the staff's appeals and steps (a personal key as "
        '`Authorization: Bearer ml_…`, or the signed-in session). Errors: `{"errors": [{"field", "code", "message"}]}`.'
    ),
    docs=SelfHostedSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", router)
api.add_router("", work_router)
api.add_router("", consultations_router)
api.add_router("", assets)
