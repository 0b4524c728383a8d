import pytest

from accounts.demo import CENTRE_A
from audit.services import audit_log


@pytest.mark.parametrize("bad", ["login", "Auth.Login", "auth.", "auth login", ""])
def test_action_codes_must_be_dotted(users, bad):
    with pytest.raises(ValueError):
        audit_log(actor=users["staff"], action=bad)


def test_records_only_type_and_id(users, units):
    event = audit_log(actor=users["manager"], action="unit.viewed", target=units[CENTRE_A], unit=units[CENTRE_A])
    assert event.target_type == "accounts.unit"
    assert event.target_id == str(units[CENTRE_A].pk)
    assert event.actor == users["manager"]
