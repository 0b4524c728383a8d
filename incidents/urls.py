from django.urls import path

from incidents.views import followup, lists, reports

urlpatterns = [
    path("", lists.incident_list, name="incident_list"),
    path("new/", reports.incident_new, name="incident_new"),
    path("mine/", reports.incident_mine, name="incident_mine"),
    path("overview/", lists.incident_overview, name="incident_overview"),
    path("export.csv", lists.incident_export, name="incident_export"),
    path("<uuid:pk>/", followup.incident_detail, name="incident_detail"),
    path("<uuid:pk>/receipt/", reports.incident_receipt, name="incident_receipt"),
    path("<uuid:pk>/edit/", followup.incident_edit, name="incident_edit"),
    path("<uuid:pk>/assign/", followup.incident_assign, name="incident_assign"),
    path("<uuid:pk>/transition/", followup.incident_transition, name="incident_transition"),
    path("<uuid:pk>/close/", followup.incident_close, name="incident_close"),
    path("<uuid:pk>/actions/", followup.incident_action_add, name="incident_action_add"),
    path("<uuid:pk>/actions/<uuid:action_pk>/", followup.incident_action_update, name="incident_action_update"),
    path("<uuid:pk>/steps/<int:number>/", followup.incident_step_update, name="incident_step_update"),
]
