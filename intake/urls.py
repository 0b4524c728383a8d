from django.urls import path

from intake.views import autosave, exchange, finalize, sharing, statistics, trees, unit_trees, wizard

app_name = "intake"

urlpatterns = [
    path("", wizard.intake_list, name="list"),
    path("new/", wizard.intake_new, name="new"),
    path("new/from-response/", exchange.intake_import, name="import"),
    path("units/", unit_trees.intake_unit_trees_list, name="unit_trees_list"),
    path("units/<slug:slug>/trees/", unit_trees.intake_unit_trees, name="unit_trees"),
    path("statistics/", statistics.intake_statistics, name="statistics"),
    path("trees/", trees.intake_tree_list, name="tree_list"),
    path("trees/terminology/", trees.intake_terminology_upload, name="terminology_upload"),
    path("trees/<slug:slug>/<str:language>/diff/", trees.intake_tree_diff, name="tree_diff"),
    path("trees/<slug:slug>/<str:language>/v<int:number>/", trees.intake_tree_version, name="tree_version"),
    path("trees/<slug:slug>/<str:language>/v<int:number>/preview/", trees.intake_tree_preview, name="tree_preview"),
    path("trees/<slug:slug>/<str:language>/v<int:number>/publish/", trees.intake_tree_publish, name="tree_publish"),
    path("trees/<slug:slug>/<str:language>/v<int:number>/export/", trees.intake_tree_export, name="tree_export"),
    path("<uuid:pk>/", wizard.intake_detail, name="detail"),
    path("<uuid:pk>/step/<slug:step>/", wizard.intake_step, name="step"),
    path("<uuid:pk>/step/<slug:step>/autosave/", autosave.intake_step_autosave, name="step_autosave"),
    path("<uuid:pk>/label/", wizard.intake_cover_label, name="cover_label"),
    path("<uuid:pk>/attachment/<uuid:attachment_id>/", wizard.intake_attachment, name="attachment"),
    path("<uuid:pk>/review/", finalize.intake_review, name="review"),
    path("<uuid:pk>/questionnaire-response.json", exchange.intake_export, name="export"),
    path("<uuid:pk>/finalize/", finalize.intake_finalize, name="finalize"),
    path("<uuid:pk>/sharing/", sharing.intake_sharing, name="sharing"),
    path("<uuid:pk>/note/", finalize.intake_note, name="note"),
    path("<uuid:pk>/note/addendum/", finalize.intake_note_addendum, name="note_addendum"),
    path("<uuid:pk>/note/journal-note.pdf", finalize.intake_note_pdf, name="note_pdf"),
]
