"""Print orders register no purger: nothing in them is about the people the centres help.

A print order is the print shop's work order for a routine folder (which routine, how many, who ordered and
handled it). tests/tooling/test_personal_data.py lists the models, with this reason, among those no purger
needs to cover.
"""


def register() -> None:
    """Nothing to register (see the module docstring); here so every feature app has the same rooms."""
