from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("new/", views.appeal_new, name="new"),
    path("receipt/", views.appeal_receipt, name="receipt"),
    path("track/", views.appeal_track, name="track"),
    path("track/<str:code>/", views.appeal_detail, name="detail"),
]
