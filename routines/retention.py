"""Routines register no purger: nothing in them is about the people the centres help.

Routines and their versions are the centres' published procedures (their editors are named as authors, as in
any document register). They hold nothing about a person who made contact;
tests/tooling/test_personal_data.py lists them, with this reason, among the models no purger needs to cover.
"""


def register() -> None:
    """Nothing to register (see the module docstring); here so every feature app has the same rooms."""
