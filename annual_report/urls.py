from django.urls import path

from annual_report import views

app_name = "annual_report"

urlpatterns = [
    path("", views.report, name="report"),
    path("<slug:unit>/<int:year>/report.<str:fmt>", views.download, name="download"),
    path("<slug:unit>/<int:year>/final/", views.make_final, name="make_final"),
]
