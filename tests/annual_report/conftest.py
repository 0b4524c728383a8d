# The contacts tests' finalized intake at centre A.
from tests.contacts.conftest import finalized_a  # noqa: F401
