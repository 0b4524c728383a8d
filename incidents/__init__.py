"""Incident (deviation) reports that staff file and managers follow up and close."""
