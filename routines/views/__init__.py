"""Routine pages, one module per audience: ``public`` (the routines everyone opens, their session mode and
PDFs), ``editor`` (writing and publishing versions) and ``review`` (history, differences, overdue reviews)."""
