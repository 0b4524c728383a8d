"""The roles a person can hold in a unit, and the model permissions each role brings.

A role is a Django group of the same name carrying model permissions ("may use this feature"). Which
*records* a person may see follows from her memberships (a manager sees her units' records) and her own
guardian user grants (owner, shared colleague, reporter, action owner): see accounts.access.visible_records.
Later features add their permissions to ROLE_PERMISSIONS.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    COUNSELLOR = "counsellor", _("Counsellor")
    MANAGER = "manager", _("Manager")
    EDITOR = "editor", _("Editor")
    PRINTSHOP = "printshop", _("Print shop")


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.STAFF: [],
    Role.COUNSELLOR: ["intake.add_intake"],
    Role.MANAGER: ["accounts.view_unit", "accounts.view_membership", "intake.view_intake", "printing.add_printorder"],
    Role.EDITOR: ["routines.change_routine", "printing.add_printorder"],
    # The print shop works the print-order queue and nothing else that is not public.
    Role.PRINTSHOP: ["printing.view_printorder", "printing.change_printorder"],
}

# Incidents (deviation reports): every role but the print shop may report; managers follow up. Which reports a
# person sees is decided by incidents.selectors.visible_incidents.
for _role in (Role.STAFF, Role.COUNSELLOR, Role.MANAGER, Role.EDITOR):
    ROLE_PERMISSIONS[_role].append("incidents.add_incident")
ROLE_PERMISSIONS[Role.MANAGER] += ["incidents.view_incident", "incidents.change_incident"]

# Intake statistics (anonymous counts): managers, for the units they manage.
ROLE_PERMISSIONS[Role.MANAGER].append("intake.view_intakestatistic")

# Question-tree editors' screens (upload, preview, publish, export, diff).
ROLE_PERMISSIONS[Role.EDITOR] += ["intake.add_treeversion", "intake.change_treeversion"]

# Safety plans: counsellors make them; managers read their units' plans (which plans: the plans of the units
# they manage, safety_plans.selectors.visible_plans); editors keep the checklist's wording.
ROLE_PERMISSIONS[Role.COUNSELLOR].append("safety_plans.add_safetyplan")
ROLE_PERMISSIONS[Role.MANAGER].append("safety_plans.view_safetyplan")
ROLE_PERMISSIONS[Role.EDITOR] += ["safety_plans.add_checklistitem", "safety_plans.change_checklistitem"]

# The annual report (anonymous statistics): managers, for the units they manage.
ROLE_PERMISSIONS[Role.MANAGER].append("annual_report.view_personcount")
