from django.urls import path, re_path

from . import console_views, desk_views, staff_views, views

app_name = "appeals"
CODE = r"[0-9A-Za-z-]{1,20}"  # tracking codes: anything else is not found without touching the database

urlpatterns = [
    path("new/", views.appeal_new, name="new"),
    path("new/places/", views.appeal_places, name="places"),
    # Hotline operator console (docs/hotline-console.md)
    path("console/", console_views.console_call, name="console"),
    path("console/done/", console_views.console_done, name="console_done"),
    path("console/caller/", console_views.console_caller, name="console_caller"),
    path("console/hints/", console_views.console_hints, name="console_hints"),
    path("receipt/", views.appeal_receipt, name="receipt"),
    path("track/", views.appeal_track, name="track"),
    re_path(rf"^track/(?P<code>{CODE})/$", views.appeal_detail, name="detail"),
    # Letters and visits (docs/letters-and-visits.md)
    re_path(rf"^track/(?P<code>{CODE})/acknowledgement\.pdf$", desk_views.track_acknowledgement, name="track_ack"),
    re_path(rf"^track/(?P<code>{CODE})/review/$", desk_views.track_review_request, name="track_review"),
    path("desk/", desk_views.desk_register, name="desk"),
    path("desk/registered/", desk_views.desk_registered, name="desk_registered"),
    path("desk/reviews/", desk_views.desk_reviews, name="desk_reviews"),
    re_path(rf"^desk/(?P<code>{CODE})/$", desk_views.desk_case, name="desk_case"),
    re_path(rf"^desk/(?P<code>{CODE})/acknowledgement\.pdf$", desk_views.desk_acknowledgement, name="desk_ack"),
    re_path(rf"^desk/(?P<code>{CODE})/review/$", desk_views.desk_review, name="desk_review"),
    path("work/", staff_views.workspace, name="work"),
    path("work/counts/", staff_views.queue_counts, name="queue_counts"),
    path("work/dispatch-selected/", staff_views.bulk_dispatch, name="bulk_dispatch"),
    re_path(rf"^work/(?P<code>{CODE})/$", staff_views.case, name="case"),
    re_path(
        rf"^work/(?P<code>{CODE})/files/(?P<pk>[0-9]{{1,12}})/$", staff_views.attachment_download, name="attachment"
    ),
    re_path(rf"^work/(?P<code>{CODE})/reply-check/$", staff_views.reply_quality_check, name="reply_check"),
    re_path(rf"^work/(?P<code>{CODE})/(?P<step>[a-z]{{1,20}})/$", staff_views.case_step, name="case_step"),
]
