"""The first-contact intake wizard; its question trees are FHIR Questionnaire data."""
