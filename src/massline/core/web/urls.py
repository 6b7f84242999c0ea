from django.urls import path

from . import views

app_name = "core"

urlpatterns = [path("", views.system_status, name="system_status")]
