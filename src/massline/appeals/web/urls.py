from django.urls import path

from . import staff_views, views

app_name = "appeals"

urlpatterns = [
    path("new/", views.appeal_new, name="new"),
    path("receipt/", views.appeal_receipt, name="receipt"),
    path("track/", views.appeal_track, name="track"),
    path("track/<str:code>/", views.appeal_detail, name="detail"),
    path("work/", staff_views.workspace, name="work"),
    path("work/<str:code>/", staff_views.case, name="case"),
    path("work/<str:code>/<str:step>/", staff_views.case_step, name="case_step"),
]
