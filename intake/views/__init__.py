"""The intake's pages, one module per feature: ``wizard`` (list, start, resume, the steps), ``autosave``,
``finalize`` (review, finalize, the journal note, its addenda and PDF), ``sharing``, ``statistics`` and
``trees`` (the editors' question tree screens). Views are thin: access through ``intake.access``, navigation
through ``intake.navigation``, writes through ``intake.services``."""
