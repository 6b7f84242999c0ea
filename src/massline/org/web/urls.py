from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("areas/", views.area_browse, name="areas"),
    path("areas/<str:code>/", views.area_browse, name="area"),
    path("units/", views.unit_directory, name="units"),
]
