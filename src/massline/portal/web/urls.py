from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", views.working_calendar, name="calendar"),
    path("calendar/<int:year>/<int:month>/", views.working_calendar, name="calendar_month"),
    path("design/", views.design, name="design"),
    path("cases/", views.case_wall, name="case_wall"),
]
