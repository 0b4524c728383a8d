from django.urls import path

from incidents import views

urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("new/", views.incident_new, name="incident_new"),
    path("mine/", views.incident_mine, name="incident_mine"),
    path("overview/", views.incident_overview, name="incident_overview"),
    path("export.csv", views.incident_export, name="incident_export"),
    path("<uuid:pk>/", views.incident_detail, name="incident_detail"),
    path("<uuid:pk>/receipt/", views.incident_receipt, name="incident_receipt"),
    path("<uuid:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("<uuid:pk>/assign/", views.incident_assign, name="incident_assign"),
    path("<uuid:pk>/transition/", views.incident_transition, name="incident_transition"),
    path("<uuid:pk>/close/", views.incident_close, name="incident_close"),
    path("<uuid:pk>/actions/", views.incident_action_add, name="incident_action_add"),
    path("<uuid:pk>/actions/<uuid:action_pk>/", views.incident_action_update, name="incident_action_update"),
    path("<uuid:pk>/steps/<int:number>/", views.incident_step_update, name="incident_step_update"),
]
