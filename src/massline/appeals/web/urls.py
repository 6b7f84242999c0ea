from django.urls import path, re_path

from . import staff_views, views

app_name = "appeals"
CODE = r"[0-9A-Za-z-]{1,20}"  # tracking codes: anything else is not found without touching the database

urlpatterns = [
    path("new/", views.appeal_new, name="new"),
    path("receipt/", views.appeal_receipt, name="receipt"),
    path("track/", views.appeal_track, name="track"),
    re_path(rf"^track/(?P<code>{CODE})/$", views.appeal_detail, name="detail"),
    path("work/", staff_views.workspace, name="work"),
    re_path(rf"^work/(?P<code>{CODE})/$", staff_views.case, name="case"),
    re_path(rf"^work/(?P<code>{CODE})/(?P<step>[a-z]{{1,20}})/$", staff_views.case_step, name="case_step"),
]
