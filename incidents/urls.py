from django.urls import path

from incidents.views import anonymous, attachments, followup, lists, reports

app_name = "incidents"

urlpatterns = [
    path("", lists.incident_list, name="list"),
    path("new/", reports.incident_new, name="new"),
    path("mine/", reports.incident_mine, name="mine"),
    path("overview/", lists.incident_overview, name="overview"),
    path("export.csv", lists.incident_export, name="export"),
    path("export.xlsx", lists.incident_export_xlsx, name="export_xlsx"),
    path("anonymous/<slug:slug>/", anonymous.anonymous_new, name="anonymous_new"),
    path("follow/", anonymous.anonymous_follow, name="anonymous_follow"),
    path("units/<slug:slug>/settings/", anonymous.unit_settings_edit, name="unit_settings"),
    path("<uuid:pk>/", followup.incident_detail, name="detail"),
    path("<uuid:pk>/messages/", anonymous.incident_message_add, name="message_add"),
    path("<uuid:pk>/receipt/", reports.incident_receipt, name="receipt"),
    path("<uuid:pk>/edit/", followup.incident_edit, name="edit"),
    path("<uuid:pk>/assign/", followup.incident_assign, name="assign"),
    path("<uuid:pk>/transition/", followup.incident_transition, name="transition"),
    path("<uuid:pk>/close/", followup.incident_close, name="close"),
    path("<uuid:pk>/risk/", followup.incident_risk, name="risk"),
    path("<uuid:pk>/actions/", followup.incident_action_add, name="action_add"),
    path("<uuid:pk>/actions/<uuid:action_pk>/", followup.incident_action_update, name="action_update"),
    path("<uuid:pk>/attachments/", attachments.attachment_add, name="attachment_add"),
    path("<uuid:pk>/attachments/<uuid:attachment_pk>/", attachments.attachment_download, name="attachment"),
    path("<uuid:pk>/attachments/<uuid:attachment_pk>/remove/", attachments.attachment_remove, name="attachment_remove"),
    path("<uuid:pk>/steps/<int:number>/", followup.incident_step_update, name="step_update"),
]
