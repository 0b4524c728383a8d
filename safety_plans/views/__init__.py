"""The safety-plan pages, one module per area: ``plans`` (the plans themselves), ``checklist`` (the editors'
checklist) and ``printout`` (the discreet printout)."""
