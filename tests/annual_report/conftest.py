# The contacts tests' fixtures: the published registration form and a finalized intake at centre A.
from tests.contacts.conftest import finalized_a, registration_tree  # noqa: F401
