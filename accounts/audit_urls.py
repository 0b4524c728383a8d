from django.urls import path

from accounts import audit_views

urlpatterns = [
    path("", audit_views.audit_event_list, name="audit_event_list"),
    path("export.csv", audit_views.audit_event_export, name="audit_event_export"),
    path("review/", audit_views.audit_review_page, name="audit_review"),
]
