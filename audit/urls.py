from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_event_list, name="list"),
    path("export.csv", views.audit_event_export, name="export"),
    path("review/", views.audit_review_page, name="review"),
]
