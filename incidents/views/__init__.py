"""The incident pages, one module per area: ``reports`` (filing and one's own reports), ``lists`` (the managers'
list, export and overview) and ``followup`` (one report's follow-up)."""
