"""The intake's pages, one module per feature: ``wizard`` (list, start, resume, the steps), ``autosave``,
``finalize`` (review, finalize, the journal note, its addenda and PDF), ``sharing``, ``statistics`` and
``trees`` (the editors' question tree screens). Views are thin: access through ``intake.selectors``, navigation
through ``intake.navigation``, writes through ``intake.services``."""

from core.access import role_required
from intake.selectors import uses_intakes

# The intake pages exist only for those whose role uses intakes (counsellors and managers).
intake_role_required = role_required(uses_intakes)
