from django.urls import path

from . import staff_views, views

app_name = "consultations"

urlpatterns = [
    path("", views.matter_list, name="list"),
    path("manage/", staff_views.manage_list, name="manage_list"),
    path("manage/new/", staff_views.manage_new, name="manage_new"),
    path("manage/<str:code>/", staff_views.manage, name="manage"),
    path("manage/<str:code>/<str:action>/", staff_views.manage_step, name="manage_step"),
    path("<str:code>/", views.matter_detail, name="matter"),
    path("<str:code>/sign/", views.matter_sign, name="sign"),
    path("<str:code>/comment/", views.comment, name="comment"),
    path("<str:code>/statements/<int:statement>/vote/", views.statement_vote, name="statement_vote"),
    path("<str:code>/hearings/<int:hearing>/speak/", views.hearing_speak, name="speak"),
    path("<str:code>/publicity/<int:publicity>/object/", views.objection, name="object"),
    path("<str:code>/satisfaction/", views.satisfaction, name="satisfaction"),
    path("<str:code>/risk/<int:round>.pdf", views.risk_report, name="risk_report"),
    path("<str:code>/certificate.pdf", views.certificate, name="certificate"),
]
