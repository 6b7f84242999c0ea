"""Who reaches what: every role × every page and API operation, against an explicit table.

The addresses come from Django's URL resolver: every request of the table is resolved to its URL pattern, and
``test_every_address_is_in_the_matrix`` fails when a pattern (a new page, a new API operation) is reached by no
line. Each line of ``MATRIX`` is one request — placeholders in braces are filled from the objects seeded by
``conftest.world`` — and the outcome expected for each role, in the order of ``COLUMNS``:

    200, 201, 400 …  that status (400/422: the request reached the page, which refused the empty form)
    login            a redirect to the sign-in page: the page needs a signed-in person
    302              another redirect (a step done, a page that sends on)
    404              not found; for staff pages and sensitive objects this is what "forbidden" looks like

Columns: anon = not signed in, cit = citizen, oper = hotline operator and disp = dispatcher (both of the city's
12345 centre), hand = handler and lead = unit leader (both of the city's urban bureau), supv = supervisor of
the east district, medi = mediator, insp = discipline inspector, anal = analyst (these three city-wide),
admn = platform administrator, dadm = administrator of the east district only.

Objects: ``{own}`` is led by the urban bureau (east district), ``{secret}`` too but with the citizen's contact
confidential, ``{other}`` is led by the west district government, ``{petition}`` is a letter registered at the
reception desk and not yet dispatched, ``{issue}`` a hot issue in the east district, ``{matter}`` a consultation
the urban bureau runs for the east district (at its proposal step, proposed by the bureau).

Staff pages are signed in with the browser session; ``/api/v1/work/…`` with each person's personal key (the
citizen, who has none, with the session)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from .conftest import ROLES, World, api_client_for, client_for

pytestmark = pytest.mark.django_db

COLUMNS = ("anon", "cit", "oper", "disp", "hand", "lead", "supv", "medi", "insp", "anal", "admn", "dadm")

MATRIX = """
# request                                                                                          | anon  cit   oper  disp  hand  lead  supv  medi  insp  anal  admn  dadm
# The public site: open to everyone
POST /i18n/setlang/                                                                                | 302   302   302   302   302   302   302   302   302   302   302   302
GET /healthz                                                                                       | 200   200   200   200   200   200   200   200   200   200   200   200
GET /readyz                                                                                        | 200   200   200   200   200   200   200   200   200   200   200   200
GET /                                                                                              | 200   200   200   200   200   200   200   200   200   200   200   200
GET /calendar/                                                                                     | 200   200   200   200   200   200   200   200   200   200   200   200
GET /calendar/2026/3/                                                                              | 200   200   200   200   200   200   200   200   200   200   200   200
GET /design/                                                                                       | 200   200   200   200   200   200   200   200   200   200   200   200
GET /cases/                                                                                        | 200   200   200   200   200   200   200   200   200   200   200   200
# Signing in and two factors (inspectors and administrators have verified theirs)
GET /accounts/login/                                                                               | 200   302   302   302   302   302   302   302   302   302   302   302
POST /accounts/logout/                                                                             | 302   302   302   302   302   302   302   302   302   302   302   302
GET /accounts/                                                                                     | login 200   200   200   200   200   200   200   200   200   200   200
GET /accounts/two-factor/setup/                                                                    | login 200   200   200   200   200   200   200   302   200   302   302
GET /accounts/two-factor/verify/                                                                   | login 302   302   302   302   302   302   302   200   302   200   200
# Raising and tracking an appeal: open to everyone; the tracking page shows no personal data
GET /appeals/new/                                                                                  | 200   200   200   200   200   200   200   200   200   200   200   200
GET /appeals/new/places/                                                                           | 200   200   200   200   200   200   200   200   200   200   200   200
# The hotline operator's console: operators only
GET /appeals/console/                                                                              | login 404   200   404   404   404   404   404   404   404   404   404
GET /appeals/console/done/                                                                         | login 404   302   404   404   404   404   404   404   404   404   404
GET /appeals/console/caller/?phone=13911112222                                                     | login 404   200   404   404   404   404   404   404   404   404   404
GET /appeals/console/hints/                                                                        | login 404   200   404   404   404   404   404   404   404   404   404
GET /appeals/receipt/                                                                              | 302   302   302   302   302   302   302   302   302   302   302   302
GET /appeals/track/                                                                                | 200   200   200   200   200   200   200   200   200   200   200   200
GET /appeals/track/{own}/                                                                          | 200   200   200   200   200   200   200   200   200   200   200   200
GET /appeals/track/{petition}/acknowledgement.pdf                                                  | 302   302   302   302   302   302   302   302   302   302   302   302
GET /appeals/track/{petition}/review/                                                              | 200   200   200   200   200   200   200   200   200   200   200   200
# The reception desk for letters and visits: operators; reviews for supervisors
GET /appeals/desk/                                                                                 | login 404   200   404   404   404   404   404   404   404   200   404
GET /appeals/desk/registered/                                                                      | login 404   302   404   404   404   404   404   404   404   302   404
GET /appeals/desk/reviews/                                                                         | login 404   404   404   404   404   200   404   404   404   200   404
GET /appeals/desk/{petition}/                                                                      | login 404   200   200   404   404   200   404   404   404   200   404
GET /appeals/desk/{petition}/acknowledgement.pdf                                                   | login 404   200   404   404   404   404   404   404   404   404   404
GET /appeals/desk/{petition}/review/                                                               | login 404   404   404   404   404   200   404   404   404   404   404
# Staff case pages: each person sees the appeals of their centre, unit or area; others look like not found
GET /appeals/work/                                                                                 | login 404   200   200   200   200   200   200   200   200   200   200
GET /appeals/work/counts/                                                                          | login 404   200   200   200   200   200   200   200   200   200   200
POST /appeals/work/dispatch-selected/                                                              | login 404   404   302   404   404   404   404   404   404   404   404
GET /appeals/work/{own}/                                                                           | login 404   200   200   200   200   200   404   404   404   200   404
GET /appeals/work/{secret}/                                                                        | login 404   200   200   200   200   200   404   404   404   200   404
GET /appeals/work/{other}/                                                                         | login 404   200   200   404   404   404   404   404   404   200   404
GET /appeals/work/{petition}/                                                                      | login 404   200   200   404   404   200   404   404   404   200   404
# Files: a confidential appeal's citizen photo never reaches the unit complained about (nor a supervisor)
GET /appeals/work/{own}/files/{own_photo}/                                                         | login 404   200   200   200   200   200   404   404   404   404   404
GET /appeals/work/{secret}/files/{secret_photo}/                                                   | login 404   200   200   404   404   404   404   404   404   404   404
POST /appeals/work/{own}/reply-check/                                                              | login 404   404   404   404   404   404   404   404   404   404   404
POST /appeals/work/{own}/contact/                                                                  | login 404   400   400   400   400   302   404   404   404   302   404
POST /appeals/work/{other}/contact/                                                                | login 404   400   400   404   404   404   404   404   404   302   404
# The JSON API: public intake and tracking
GET /api/v1/openapi.json                                                                           | 200   200   200   200   200   200   200   200   200   200   200   200
GET /api/v1/docs                                                                                   | 200   200   200   200   200   200   200   200   200   200   200   200
GET /api/v1/docs/assets/swagger-ui-init.js                                                         | 200   200   200   200   200   200   200   200   200   200   200   200
GET /api/v1/                                                                                       | 404   404   404   404   404   404   404   404   404   404   404   404
POST /api/v1/appeals                                                                               | 422   422   422   422   422   422   422   422   422   422   422   422
GET /api/v1/appeals/{own}                                                                          | 200   200   200   200   200   200   200   200   200   200   200   200
# The staff API with personal keys (401 without one); outside one's scope looks like not found
GET /api/v1/work/appeals                                                                           | 401   200   200   200   200   200   200   200   200   200   200   200
GET /api/v1/work/appeals/{own}                                                                     | 401   404   200   200   200   200   200   404   404   404   200   404
GET /api/v1/work/appeals/{secret}                                                                  | 401   404   200   200   200   200   200   404   404   404   200   404
GET /api/v1/work/appeals/{other}                                                                   | 401   404   200   200   404   404   404   404   404   404   200   404
POST /api/v1/work/appeals/{other}/accept                                                           | 401   404   403   403   404   404   404   404   404   404   403   404
POST /api/v1/work/appeals/{other}/reply                                                            | 401   404   403   403   404   404   404   404   404   404   403   404
POST /api/v1/work/appeals/{other}/return                                                           | 401   404   403   403   404   404   404   404   404   404   403   404
POST /api/v1/work/appeals/{other}/contact                                                          | 401   404   200   200   404   404   404   404   404   404   403   404
POST /api/v1/work/appeals/{other}/note                                                             | 401   404   200   200   404   404   404   404   404   404   403   404
POST /api/v1/work/appeals/{other}/extension                                                        | 401   404   403   403   404   404   404   404   404   404   403   404
POST /api/v1/work/appeals/{own}/note                                                               | 401   404   200   200   200   200   200   404   404   404   403   404
# Open311: public reading; posting needs a partner key
GET /open311/discovery.json                                                                        | 200   200   200   200   200   200   200   200   200   200   200   200
GET /open311/v2/services.xml                                                                       | 200   200   200   200   200   200   200   200   200   200   200   200
GET /open311/v2/services/C0101.json                                                                | 200   200   200   200   200   200   200   200   200   200   200   200
GET /open311/v2/requests.json                                                                      | 200   200   200   200   200   200   200   200   200   200   200   200
POST /open311/v2/requests.json                                                                     | 403   403   403   403   403   403   403   403   403   403   403   403
GET /open311/v2/requests/{own}.json                                                                | 200   200   200   200   200   200   200   200   200   200   200   200
GET /open311/v2/tokens/nothing.json                                                                | 404   404   404   404   404   404   404   404   404   404   404   404
GET /open311/v2/elsewhere                                                                          | 404   404   404   404   404   404   404   404   404   404   404   404
# Open data and scorecards: public
GET /open-data/                                                                                    | 200   200   200   200   200   200   200   200   200   200   200   200
GET /open-data/2026-03-01/requests.csv                                                             | 404   404   404   404   404   404   404   404   404   404   404   404
GET /scorecards/                                                                                   | 200   200   200   200   200   200   200   200   200   200   200   200
GET /scorecards/unit/U-URBAN/                                                                      | 200   200   200   200   200   200   200   200   200   200   200   200
GET /scorecards/ranking/                                                                           | 200   200   200   200   200   200   200   200   200   200   200   200
GET /scorecards/categories/                                                                        | 200   200   200   200   200   200   200   200   200   200   200   200
GET /scorecards/about/                                                                             | 200   200   200   200   200   200   200   200   200   200   200   200
# Hot issues: dispatchers, supervisors and administrators of the area; deciding for supervisors and administrators
GET /hot-issues/                                                                                   | login 404   404   200   404   404   200   404   404   404   200   200
GET /hot-issues/{issue}/                                                                           | login 404   404   200   404   404   200   404   404   404   200   200
POST /hot-issues/{issue}/take-up/                                                                  | login 404   404   404   404   404   400   404   404   404   400   400
POST /hot-issues/{issue}/dismiss/                                                                  | login 404   404   404   404   404   400   404   404   404   400   400
GET /proactive/                                                                                    | 200   200   200   200   200   200   200   200   200   200   200   200
# Notifications: staff only
GET /notifications/                                                                                | login 404   200   200   200   200   200   200   200   200   200   200
POST /notifications/read/                                                                          | login 404   302   302   302   302   302   302   302   302   302   302
POST /notifications/preferences/                                                                   | login 404   400   400   400   400   400   400   400   400   400   400
# The organisation directory: public
GET /org/areas/                                                                                    | 200   200   200   200   200   200   200   200   200   200   200   200
GET /org/areas/T0101/                                                                              | 200   200   200   200   200   200   200   200   200   200   200   200
GET /org/units/                                                                                    | 200   200   200   200   200   200   200   200   200   200   200   200
# The audit ledger: inspectors and platform administrators; system status: platform administrators
GET /audit/                                                                                        | login 404   404   404   404   404   404   404   200   404   200   404
GET /system/                                                                                       | login 404   404   404   404   404   404   404   404   404   200   404
# The admin: administrators only (is_staff); accounts, appeals, two-factor devices and lockouts for platform
# administrators; a district administrator edits the organisation within the district (an object outside it
# answers 302, the admin's "does not exist"); RQ's dashboard for platform administrators only
GET /admin/                                                                                        | login login login login login login login login login login 200   200
GET /admin/login/                                                                                  | 200   200   200   200   200   200   200   200   200   200   302   302
POST /admin/logout/                                                                                | 302   302   302   302   302   302   302   302   302   302   302   302
GET /admin/password_change/                                                                        | login login login login login login login login login login 200   200
GET /admin/password_change/done/                                                                   | login login login login login login login login login login 200   200
GET /admin/autocomplete/?app_label=org&model_name=unit&field_name=parent&term=U                    | login login login login login login login login login login 200   200
GET /admin/jsi18n/                                                                                 | login login login login login login login login login login 200   200
GET /admin/r/{ct:org.unit}/{pk:org.unit}/                                                          | login login login login login login login login login login 404   404
GET /admin/auth/group/                                                                             | login login login login login login login login login login 403   403
GET /admin/auth/group/add/                                                                         | login login login login login login login login login login 403   403
GET /admin/auth/group/{pk:auth.group}/history/                                                     | login login login login login login login login login login 302   302
GET /admin/auth/group/{pk:auth.group}/delete/                                                      | login login login login login login login login login login 403   403
GET /admin/auth/group/{pk:auth.group}/change/                                                      | login login login login login login login login login login 403   403
GET /admin/auth/group/{pk:auth.group}/                                                             | login login login login login login login login login login 302   302
GET /admin/accounts/user/{pk:accounts.user}/password/                                              | login login login login login login login login login login 200   403
GET /admin/accounts/user/                                                                          | login login login login login login login login login login 200   403
GET /admin/accounts/user/add/                                                                      | login login login login login login login login login login 200   403
GET /admin/accounts/user/{pk:accounts.user}/history/                                               | login login login login login login login login login login 200   403
GET /admin/accounts/user/{pk:accounts.user}/delete/                                                | login login login login login login login login login login 200   403
GET /admin/accounts/user/{pk:accounts.user}/change/                                                | login login login login login login login login login login 200   403
GET /admin/accounts/user/{pk:accounts.user}/                                                       | login login login login login login login login login login 302   302
GET /admin/org/area/import-csv/                                                                    | login login login login login login login login login login 200   403
GET /admin/org/area/export-csv/                                                                    | login login login login login login login login login login 200   200
GET /admin/org/area/                                                                               | login login login login login login login login login login 200   200
GET /admin/org/area/add/                                                                           | login login login login login login login login login login 200   200
GET /admin/org/area/{pk:org.area}/history/                                                         | login login login login login login login login login login 200   200
GET /admin/org/area/{pk:org.area}/delete/                                                          | login login login login login login login login login login 200   403
GET /admin/org/area/{pk:org.area}/change/                                                          | login login login login login login login login login login 200   200
GET /admin/org/area/{pk:org.area}/                                                                 | login login login login login login login login login login 302   302
GET /admin/org/unit/import-csv/                                                                    | login login login login login login login login login login 200   403
GET /admin/org/unit/export-csv/                                                                    | login login login login login login login login login login 200   200
GET /admin/org/unit/                                                                               | login login login login login login login login login login 200   200
GET /admin/org/unit/add/                                                                           | login login login login login login login login login login 200   200
GET /admin/org/unit/{pk:org.unit}/history/                                                         | login login login login login login login login login login 200   302
GET /admin/org/unit/{pk:org.unit}/delete/                                                          | login login login login login login login login login login 200   302
GET /admin/org/unit/{pk:org.unit}/change/                                                          | login login login login login login login login login login 200   302
GET /admin/org/unit/{pk:org.unit}/                                                                 | login login login login login login login login login login 302   302
GET /admin/org/category/import-csv/                                                                | login login login login login login login login login login 200   403
GET /admin/org/category/export-csv/                                                                | login login login login login login login login login login 200   200
GET /admin/org/category/                                                                           | login login login login login login login login login login 200   200
GET /admin/org/category/add/                                                                       | login login login login login login login login login login 200   403
GET /admin/org/category/{pk:org.category}/history/                                                 | login login login login login login login login login login 200   200
GET /admin/org/category/{pk:org.category}/delete/                                                  | login login login login login login login login login login 200   403
GET /admin/org/category/{pk:org.category}/change/                                                  | login login login login login login login login login login 200   200
GET /admin/org/category/{pk:org.category}/                                                         | login login login login login login login login login login 302   302
GET /admin/org/responsibilityrule/import-csv/                                                      | login login login login login login login login login login 200   403
GET /admin/org/responsibilityrule/export-csv/                                                      | login login login login login login login login login login 200   200
GET /admin/org/responsibilityrule/                                                                 | login login login login login login login login login login 200   200
GET /admin/org/responsibilityrule/add/                                                             | login login login login login login login login login login 200   200
GET /admin/org/responsibilityrule/{pk:org.responsibilityrule}/history/                             | login login login login login login login login login login 200   302
GET /admin/org/responsibilityrule/{pk:org.responsibilityrule}/delete/                              | login login login login login login login login login login 200   302
GET /admin/org/responsibilityrule/{pk:org.responsibilityrule}/change/                              | login login login login login login login login login login 200   302
GET /admin/org/responsibilityrule/{pk:org.responsibilityrule}/                                     | login login login login login login login login login login 302   302
GET /admin/org/post/import-csv/                                                                    | login login login login login login login login login login 200   403
GET /admin/org/post/export-csv/                                                                    | login login login login login login login login login login 200   200
GET /admin/org/post/                                                                               | login login login login login login login login login login 200   200
GET /admin/org/post/add/                                                                           | login login login login login login login login login login 200   200
GET /admin/org/post/{pk:org.post}/history/                                                         | login login login login login login login login login login 302   302
GET /admin/org/post/{pk:org.post}/delete/                                                          | login login login login login login login login login login 302   302
GET /admin/org/post/{pk:org.post}/change/                                                          | login login login login login login login login login login 302   302
GET /admin/org/post/{pk:org.post}/                                                                 | login login login login login login login login login login 302   302
GET /admin/org/calendaroverride/                                                                   | login login login login login login login login login login 200   200
GET /admin/org/calendaroverride/add/                                                               | login login login login login login login login login login 200   403
GET /admin/org/calendaroverride/{pk:org.calendaroverride}/history/                                 | login login login login login login login login login login 302   302
GET /admin/org/calendaroverride/{pk:org.calendaroverride}/delete/                                  | login login login login login login login login login login 302   403
GET /admin/org/calendaroverride/{pk:org.calendaroverride}/change/                                  | login login login login login login login login login login 302   302
GET /admin/org/calendaroverride/{pk:org.calendaroverride}/                                         | login login login login login login login login login login 302   302
GET /admin/audit/auditrecord/                                                                      | login login login login login login login login login login 200   403
GET /admin/audit/auditrecord/add/                                                                  | login login login login login login login login login login 403   403
GET /admin/audit/auditrecord/{pk:audit.auditrecord}/history/                                       | login login login login login login login login login login 200   403
GET /admin/audit/auditrecord/{pk:audit.auditrecord}/delete/                                        | login login login login login login login login login login 403   403
GET /admin/audit/auditrecord/{pk:audit.auditrecord}/change/                                        | login login login login login login login login login login 200   403
GET /admin/audit/auditrecord/{pk:audit.auditrecord}/                                               | login login login login login login login login login login 302   302
GET /admin/appeals/appealpolicy/                                                                   | login login login login login login login login login login 200   403
GET /admin/appeals/appealpolicy/add/                                                               | login login login login login login login login login login 200   403
GET /admin/appeals/appealpolicy/{pk:appeals.appealpolicy}/history/                                 | login login login login login login login login login login 200   403
GET /admin/appeals/appealpolicy/{pk:appeals.appealpolicy}/delete/                                  | login login login login login login login login login login 200   403
GET /admin/appeals/appealpolicy/{pk:appeals.appealpolicy}/change/                                  | login login login login login login login login login login 200   403
GET /admin/appeals/appealpolicy/{pk:appeals.appealpolicy}/                                         | login login login login login login login login login login 302   302
GET /admin/appeals/replytemplate/                                                                  | login login login login login login login login login login 200   403
GET /admin/appeals/replytemplate/add/                                                              | login login login login login login login login login login 200   403
GET /admin/appeals/replytemplate/{pk:appeals.replytemplate}/history/                               | login login login login login login login login login login 302   302
GET /admin/appeals/replytemplate/{pk:appeals.replytemplate}/delete/                                | login login login login login login login login login login 302   403
GET /admin/appeals/replytemplate/{pk:appeals.replytemplate}/change/                                | login login login login login login login login login login 302   403
GET /admin/appeals/replytemplate/{pk:appeals.replytemplate}/                                       | login login login login login login login login login login 302   302
GET /admin/intelligence/routerversion/                                                             | login login login login login login login login login login 403   403
GET /admin/intelligence/routerversion/add/                                                         | login login login login login login login login login login 403   403
GET /admin/intelligence/routerversion/{pk:intelligence.routerversion}/history/                     | login login login login login login login login login login 302   302
GET /admin/intelligence/routerversion/{pk:intelligence.routerversion}/delete/                      | login login login login login login login login login login 403   403
GET /admin/intelligence/routerversion/{pk:intelligence.routerversion}/change/                      | login login login login login login login login login login 403   403
GET /admin/intelligence/routerversion/{pk:intelligence.routerversion}/                             | login login login login login login login login login login 302   302
GET /admin/open311/webhooksubscription/                                                            | login login login login login login login login login login 403   403
GET /admin/open311/webhooksubscription/add/                                                        | login login login login login login login login login login 403   403
GET /admin/open311/webhooksubscription/{pk:open311.webhooksubscription}/history/                   | login login login login login login login login login login 302   302
GET /admin/open311/webhooksubscription/{pk:open311.webhooksubscription}/delete/                    | login login login login login login login login login login 403   403
GET /admin/open311/webhooksubscription/{pk:open311.webhooksubscription}/change/                    | login login login login login login login login login login 403   403
GET /admin/open311/webhooksubscription/{pk:open311.webhooksubscription}/                           | login login login login login login login login login login 302   302
GET /admin/open311/webhookdelivery/                                                                | login login login login login login login login login login 403   403
GET /admin/open311/webhookdelivery/add/                                                            | login login login login login login login login login login 403   403
GET /admin/open311/webhookdelivery/{pk:open311.webhookdelivery}/history/                           | login login login login login login login login login login 302   302
GET /admin/open311/webhookdelivery/{pk:open311.webhookdelivery}/delete/                            | login login login login login login login login login login 403   403
GET /admin/open311/webhookdelivery/{pk:open311.webhookdelivery}/change/                            | login login login login login login login login login login 403   403
GET /admin/open311/webhookdelivery/{pk:open311.webhookdelivery}/                                   | login login login login login login login login login login 302   302
GET /admin/notifications/outboxmessage/                                                            | login login login login login login login login login login 200   403
GET /admin/notifications/outboxmessage/add/                                                        | login login login login login login login login login login 403   403
GET /admin/notifications/outboxmessage/{pk:notifications.outboxmessage}/history/                   | login login login login login login login login login login 302   302
GET /admin/notifications/outboxmessage/{pk:notifications.outboxmessage}/delete/                    | login login login login login login login login login login 403   403
GET /admin/notifications/outboxmessage/{pk:notifications.outboxmessage}/change/                    | login login login login login login login login login login 302   403
GET /admin/notifications/outboxmessage/{pk:notifications.outboxmessage}/                           | login login login login login login login login login login 302   302
GET /admin/notifications/notificationpreference/                                                   | login login login login login login login login login login 200   403
GET /admin/notifications/notificationpreference/add/                                               | login login login login login login login login login login 403   403
GET /admin/notifications/notificationpreference/{pk:notifications.notificationpreference}/history/ | login login login login login login login login login login 302   302
GET /admin/notifications/notificationpreference/{pk:notifications.notificationpreference}/delete/  | login login login login login login login login login login 302   403
GET /admin/notifications/notificationpreference/{pk:notifications.notificationpreference}/change/  | login login login login login login login login login login 302   403
GET /admin/notifications/notificationpreference/{pk:notifications.notificationpreference}/         | login login login login login login login login login login 302   302
GET /admin/otp_totp/totpdevice/{pk:otp_totp.totpdevice}/config/                                    | login login login login login login login login login login 200   403
GET /admin/otp_totp/totpdevice/{pk:otp_totp.totpdevice}/qrcode/                                    | login login login login login login login login login login 200   403
GET /admin/otp_totp/totpdevice/                                                                    | login login login login login login login login login login 200   403
GET /admin/otp_totp/totpdevice/add/                                                                | login login login login login login login login login login 200   403
GET /admin/otp_totp/totpdevice/{pk:otp_totp.totpdevice}/history/                                   | login login login login login login login login login login 200   403
GET /admin/otp_totp/totpdevice/{pk:otp_totp.totpdevice}/delete/                                    | login login login login login login login login login login 200   403
GET /admin/otp_totp/totpdevice/{pk:otp_totp.totpdevice}/change/                                    | login login login login login login login login login login 200   403
GET /admin/otp_totp/totpdevice/{pk:otp_totp.totpdevice}/                                           | login login login login login login login login login login 302   302
GET /admin/axes/accessattempt/                                                                     | login login login login login login login login login login 200   403
GET /admin/axes/accessattempt/add/                                                                 | login login login login login login login login login login 403   403
GET /admin/axes/accessattempt/{pk:axes.accessattempt}/history/                                     | login login login login login login login login login login 302   302
GET /admin/axes/accessattempt/{pk:axes.accessattempt}/delete/                                      | login login login login login login login login login login 302   403
GET /admin/axes/accessattempt/{pk:axes.accessattempt}/change/                                      | login login login login login login login login login login 302   403
GET /admin/axes/accessattempt/{pk:axes.accessattempt}/                                             | login login login login login login login login login login 302   302
GET /admin/axes/accesslog/                                                                         | login login login login login login login login login login 200   403
GET /admin/axes/accesslog/add/                                                                     | login login login login login login login login login login 403   403
GET /admin/axes/accesslog/{pk:axes.accesslog}/history/                                             | login login login login login login login login login login 200   403
GET /admin/axes/accesslog/{pk:axes.accesslog}/delete/                                              | login login login login login login login login login login 200   403
GET /admin/axes/accesslog/{pk:axes.accesslog}/change/                                              | login login login login login login login login login login 200   403
GET /admin/axes/accesslog/{pk:axes.accesslog}/                                                     | login login login login login login login login login login 302   302
GET /admin/axes/accessfailurelog/                                                                  | login login login login login login login login login login 200   403
GET /admin/axes/accessfailurelog/add/                                                              | login login login login login login login login login login 403   403
GET /admin/axes/accessfailurelog/{pk:axes.accessfailurelog}/history/                               | login login login login login login login login login login 302   302
GET /admin/axes/accessfailurelog/{pk:axes.accessfailurelog}/delete/                                | login login login login login login login login login login 302   403
GET /admin/axes/accessfailurelog/{pk:axes.accessfailurelog}/change/                                | login login login login login login login login login login 302   403
GET /admin/axes/accessfailurelog/{pk:axes.accessfailurelog}/                                       | login login login login login login login login login login 302   302
GET /admin/django_tasks_database/dbtaskresult/                                                     | login login login login login login login login login login 403   403
GET /admin/django_tasks_database/dbtaskresult/add/                                                 | login login login login login login login login login login 403   403
GET /admin/django_tasks_database/dbtaskresult/{pk:django_tasks_database.dbtaskresult}/history/     | login login login login login login login login login login 302   302
GET /admin/django_tasks_database/dbtaskresult/{pk:django_tasks_database.dbtaskresult}/delete/      | login login login login login login login login login login 403   403
GET /admin/django_tasks_database/dbtaskresult/{pk:django_tasks_database.dbtaskresult}/change/      | login login login login login login login login login login 403   403
GET /admin/django_tasks_database/dbtaskresult/{pk:django_tasks_database.dbtaskresult}/             | login login login login login login login login login login 302   302
# Consultations: the public pages and forms are open to everyone (an empty form comes back refused);
# the working pages belong to the owner unit's staff and to supervisors and administrators over the area
GET /consultations/                                                                                | 200   200   200   200   200   200   200   200   200   200   200   200
GET /consultations/{matter}/                                                                       | 200   200   200   200   200   200   200   200   200   200   200   200
POST /consultations/{matter}/sign/                                                                 | 400   400   400   400   400   400   400   400   400   400   400   400
POST /consultations/{matter}/comment/                                                              | 400   400   400   400   400   400   400   400   400   400   400   400
POST /consultations/{matter}/statements/1/vote/                                                    | 302   302   302   302   302   302   302   302   302   302   302   302
POST /consultations/{matter}/hearings/1/speak/                                                     | 404   404   404   404   404   404   404   404   404   404   404   404
POST /consultations/{matter}/publicity/1/object/                                                   | 404   404   404   404   404   404   404   404   404   404   404   404
POST /consultations/{matter}/satisfaction/                                                         | 400   400   400   400   400   400   400   400   400   400   400   400
GET /consultations/{matter}/risk/1.pdf                                                             | 404   404   404   404   404   404   404   404   404   404   404   404
GET /consultations/{matter}/certificate.pdf                                                        | 404   404   404   404   404   404   404   404   404   404   404   404
GET /consultations/manage/                                                                         | login 404   404   404   200   200   200   404   404   404   200   200
GET /consultations/manage/new/                                                                     | login 404   404   404   200   200   200   404   404   404   200   200
GET /consultations/manage/{matter}/                                                                | login 404   404   404   200   200   200   404   404   404   200   200
POST /consultations/manage/{matter}/withdraw/                                                      | login 404   404   404   400   400   400   404   404   404   400   400
GET /api/v1/consultations/matters                                                                  | 200   200   200   200   200   200   200   200   200   200   200   200
GET /api/v1/consultations/matters/{matter}                                                         | 200   200   200   200   200   200   200   200   200   200   200   200
GET /api/v1/consultations/matters/{matter}/comments                                                | 200   200   200   200   200   200   200   200   200   200   200   200
POST /api/v1/consultations/matters/{matter}/comments                                               | 422   422   422   422   422   422   422   422   422   422   422   422
POST /api/v1/consultations/matters/{matter}/signatures                                             | 422   422   422   422   422   422   422   422   422   422   422   422
POST /api/v1/consultations/matters/{matter}/satisfaction                                            | 422   422   422   422   422   422   422   422   422   422   422   422
# Prometheus metrics: the scraper on this machine, or with the token (docs/observability.md)
GET /metrics                                                                                       | 200   200   200   200   200   200   200   200   200   200   200   200
GET /admin/consultations/matterkind/                                                               | login login login login login login login login login login 200   403
GET /admin/consultations/matterkind/add/                                                           | login login login login login login login login login login 200   403
GET /admin/consultations/matterkind/{pk:consultations.matterkind}/history/                         | login login login login login login login login login login 200   403
GET /admin/consultations/matterkind/{pk:consultations.matterkind}/delete/                          | login login login login login login login login login login 200   403
GET /admin/consultations/matterkind/{pk:consultations.matterkind}/change/                          | login login login login login login login login login login 200   403
GET /admin/consultations/matterkind/{pk:consultations.matterkind}/                                 | login login login login login login login login login login 302   302
GET /admin/consultations/matter/                                                                   | login login login login login login login login login login 200   403
GET /admin/consultations/matter/add/                                                               | login login login login login login login login login login 403   403
GET /admin/consultations/matter/{pk:consultations.matter}/history/                                 | login login login login login login login login login login 200   403
GET /admin/consultations/matter/{pk:consultations.matter}/delete/                                  | login login login login login login login login login login 403   403
GET /admin/consultations/matter/{pk:consultations.matter}/change/                                  | login login login login login login login login login login 200   403
GET /admin/consultations/matter/{pk:consultations.matter}/                                         | login login login login login login login login login login 302   302
GET /admin/django_rq/dashboard/metrics/                                                            | 401   404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/stats.json                                                          | 401   404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/stats.json/nottoken                                                 | 401   404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/                                                                    | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/                                                           | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/details/                                                   | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/finished/                                                  | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/failed/                                                    | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/failed/clear/                                              | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/scheduled/                                                 | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/started/                                                   | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/deferred/                                                  | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/empty/                                                     | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/requeue-all/                                               | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/{job}/                                                     | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/{job}/results/r1/                                          | login 404   404   404   404   404   404   404   404   404   404   404
GET /admin/django_rq/dashboard/queues/0/{job}/delete/                                              | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/{job}/requeue/                                             | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/{job}/enqueue/                                             | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/queues/0/{job}/stop/                                                | login 404   404   404   404   404   404   404   404   404   405   404
GET /admin/django_rq/dashboard/queues/confirm-action/0/                                            | login 404   404   404   404   404   404   404   404   404   302   404
GET /admin/django_rq/dashboard/queues/actions/0/                                                   | login 404   404   404   404   404   404   404   404   404   302   404
GET /admin/django_rq/dashboard/workers/0/                                                          | login 404   404   404   404   404   404   404   404   404   200   404
# django-rq's worker page fails on an unknown worker: its own error, reached by platform administrators only
GET /admin/django_rq/dashboard/workers/0/no-worker/                                                | login 404   404   404   404   404   404   404   404   404   500   404
GET /admin/django_rq/dashboard/schedulers/0/                                                       | login 404   404   404   404   404   404   404   404   404   200   404
GET /admin/django_rq/dashboard/cron-schedulers/0/none/                                             | login 404   404   404   404   404   404   404   404   404   404   404
GET /admin/django_rq/dashboard/cron-schedulers/0/none/jobs/none/                                   | login 404   404   404   404   404   404   404   404   404   404   404
GET /admin/auth/                                                                                   | login login login login login login login login login login 404   404
GET /admin/accounts/                                                                               | login login login login login login login login login login 200   404
GET /admin/org/                                                                                    | login login login login login login login login login login 200   200
GET /admin/audit/                                                                                  | login login login login login login login login login login 200   404
GET /admin/appeals/                                                                                | login login login login login login login login login login 200   404
GET /admin/intelligence/                                                                           | login login login login login login login login login login 404   404
GET /admin/open311/                                                                                | login login login login login login login login login login 404   404
GET /admin/notifications/                                                                          | login login login login login login login login login login 200   404
GET /admin/otp_totp/                                                                               | login login login login login login login login login login 200   404
GET /admin/axes/                                                                                   | login login login login login login login login login login 200   404
GET /admin/django_tasks_database/                                                                  | login login login login login login login login login login 404   404
GET /admin/django_rq/                                                                              | login login login login login login login login login login 200   404
GET /admin/nothing-here/                                                                           | login login login login login login login login login login 404   404
POST /admin/django_rq/dashboard/queues/0/empty/                                                    | login 404   404   404   404   404   404   404   404   404   302   404
POST /admin/django_rq/dashboard/queues/0/requeue-all/                                              | login 404   404   404   404   404   404   404   404   404   302   404
"""

SIGNING_OUT = {"POST /accounts/logout/", "POST /admin/logout/"}

# Bodies of the requests that need one (JSON for the API, a form otherwise).
BODIES: dict[str, dict[str, Any]] = {
    "POST /i18n/setlang/": {"language": "en", "next": "/"},
    "POST /api/v1/appeals": {},
    "POST /api/v1/work/appeals/{other}/reply": {"outcome": "solved", "text": "已处理完毕。"},
    "POST /api/v1/work/appeals/{other}/return": {"text": "不属于本单位职责。"},
    "POST /api/v1/work/appeals/{other}/contact": {"text": "已电话联系市民。"},
    "POST /api/v1/work/appeals/{other}/note": {"text": "内部备注。"},
    "POST /api/v1/work/appeals/{own}/note": {"text": "内部备注。"},
    "POST /api/v1/work/appeals/{other}/extension": {"days": 5, "reason": "需要协调多个部门。"},
}


@dataclass(frozen=True)
class Line:
    method: str
    path: str  # with placeholders
    expected: dict[str, str]

    @property
    def request(self) -> str:
        return f"{self.method} {self.path}"


def _lines() -> list[Line]:
    lines = []
    for raw in MATRIX.strip().splitlines():
        if raw.startswith("#"):
            continue
        request, cells = (part.strip() for part in raw.split(" | "))
        method, path = request.split(" ", 1)
        outcomes = cells.split()
        assert len(outcomes) == len(COLUMNS), f"{request}: {len(outcomes)} outcomes for {len(COLUMNS)} roles"
        lines.append(Line(method, path, dict(zip(ROLES, outcomes, strict=True))))
    return lines


LINES = _lines()
JOB_ID = "permission-matrix-job"


def _admin_placeholders(path: str) -> str:
    """``{pk:app.model}``: the first row of that model (0 when there is none); ``{ct:app.model}``: its content
    type."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    def pk(match: re.Match[str]) -> str:
        row = apps.get_model(match[1]).objects.order_by("pk").first()
        return str(row.pk) if row is not None else "0"

    def ct(match: re.Match[str]) -> str:
        return str(ContentType.objects.get_for_model(apps.get_model(match[1])).pk)

    return re.sub(r"\{ct:([\w.]+)\}", ct, re.sub(r"\{pk:([\w.]+)\}", pk, path))


def _queued_job() -> str:
    """A job waiting in the first RQ queue (no worker takes it), for the dashboard's job pages."""
    import django_rq

    queue = django_rq.get_queue(settings.TASK_QUEUES[0], is_async=True, commit_mode="auto")
    job = queue.fetch_job(JOB_ID) or queue.enqueue("builtins.len", "massline", job_id=JOB_ID)
    return str(job.id)


def _remove_queued_job() -> None:
    import django_rq

    job = django_rq.get_queue(settings.TASK_QUEUES[0], is_async=True, commit_mode="auto").fetch_job(JOB_ID)
    if job is not None:
        job.delete()


def _fill(path: str, world: World) -> str:
    if "{job}" in path:
        path = path.replace("{job}", _queued_job())
    return _admin_placeholders(path).format(
        own=world.own.tracking_code,
        secret=world.secret.tracking_code,
        other=world.other.tracking_code,
        petition=world.petition.tracking_code,
        issue=world.issue.pk,
        matter=world.matter.code,
        own_photo=world.own_photo.pk,
        secret_photo=world.secret_photo.pk,
    )


def outcome(response: Any) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith((resolve_url(settings.LOGIN_URL), "/admin/login/")):
            return "login"
        return "302"
    return str(response.status_code)


def perform(client: Client, line: Line, world: World) -> str:
    path = _fill(line.path, world)
    if line.method == "GET":
        return outcome(client.get(path))
    body = BODIES.get(line.request, {})
    if path.startswith("/api/"):
        return outcome(client.post(path, json.dumps(body), content_type="application/json"))
    return outcome(client.post(path, body))


def test_each_role_reaches_exactly_what_the_matrix_says(world: World) -> None:
    """One seeded city for all the roles, in the order of the table (the few requests that change something
    change nothing another role's line depends on)."""
    wrong = []
    try:
        _check_every_role(world, wrong)
    finally:
        _remove_queued_job()
    assert not wrong, "\n".join(wrong)


def _check_every_role(world: World, wrong: list[str]) -> None:
    for role in ROLES:
        browser, application = client_for(world, role), api_client_for(world, role)
        for line in LINES:
            client = application if line.path.startswith("/api/v1/work/") else browser
            if line.request in SIGNING_OUT:
                client = client_for(world, role)  # a browser of its own, so the others stay signed in
            got = perform(client, line, world)
            if got != line.expected[role]:
                wrong.append(f"{role:<14} {line.request:<60} expected {line.expected[role]:>5}, got {got}")


def _routes(patterns: list[Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found |= _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.add(_anchorless(prefix + str(pattern.pattern)))
    return found


def _anchorless(route: str) -> str:
    """The resolver reports a regular expression's route without its ``^`` and ``$``."""
    return route.replace("^", "").replace("$", "")


def test_every_address_is_in_the_matrix(world: World) -> None:
    """Every URL pattern the resolver knows is reached by at least one line of the table (a pattern shadowed by
    an earlier one with the same route counts as that one)."""
    reached = {_anchorless(resolve(_fill(line.path, world).split("?")[0]).route) for line in LINES}
    missing = sorted(_routes(get_resolver().url_patterns) - reached)
    assert not missing, "pages and operations missing from the matrix:\n" + "\n".join(missing)
