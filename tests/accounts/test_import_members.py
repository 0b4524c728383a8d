"""``manage.py import_members``: bulk onboarding from a CSV file, with a dry run and one line per bad row."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.demo import CENTRE_A, UNIVERSITY
from accounts.models import Membership
from audit.models import AuditEvent

GOOD = f"""unit,email,name,role
{CENTRE_A},ny.radgiver@example.org,Nora Ny Rådgiver,counsellor
{CENTRE_A},ny.radgiver@example.org,Nora Ny Rådgiver,staff
{UNIVERSITY},staff@example.org,Siri Student-Service,editor
"""


def write(tmp_path, text, name="members.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_members", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_import_invites_new_people_once_and_gives_roles(tmp_path, users, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out, err, error = run(write(tmp_path, GOOD), "--by", "admin")
    assert error is None, err
    nora = get_user_model().objects.get(email="ny.radgiver@example.org")
    assert (nora.first_name, nora.last_name) == ("Nora", "Ny Rådgiver")
    assert set(Membership.objects.filter(user=nora).values_list("role", flat=True)) == {"counsellor", "staff"}
    assert Membership.objects.filter(user=users["staff"], unit=units[UNIVERSITY], role="editor").exists()
    assert [m.to for m in mail.outbox] == [["ny.radgiver@example.org"]]  # one invitation, none for Siri
    assert AuditEvent.objects.filter(action="member.role_granted", actor=users["admin"]).count() == 3
    assert "3 line(s) imported" in out


def test_dry_run_changes_nothing(tmp_path, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out, _err, error = run(write(tmp_path, GOOD), "--dry-run")
    assert error is None
    assert "line 2: would invite ny.radgiver@example.org as counsellor" in out
    assert "line 4: would give the role to staff@example.org as editor" in out
    assert not get_user_model().objects.filter(email="ny.radgiver@example.org").exists()
    assert mail.outbox == []


def test_each_bad_line_is_named_and_nothing_is_imported(tmp_path, users):
    text = f"""unit,email,name,role
{CENTRE_A},ok@example.org,Ok Person,staff
no-such-unit,x@example.org,X,staff
{CENTRE_A},not-an-address,Y,staff
{CENTRE_A},z@example.org,Z,administrator
"""
    for extra in ([], ["--dry-run"]):
        _out, err, error = run(write(tmp_path, text), *extra)
        assert error == "3 line(s) to fix; nothing was imported"
        lines = err.strip().splitlines()
        assert lines == [
            "line 3: no unit with the short name 'no-such-unit'",
            "line 4: 'not-an-address' is not an e-mail address",
            "line 5: the role 'administrator' is not one of staff, counsellor, manager, editor, printshop",
        ]
    assert not get_user_model().objects.filter(email="ok@example.org").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [("email,unit,name,role\n", "the first line must be unit,email,name,role"), ("", "the first line must be")],
)
def test_a_wrong_header_is_refused(tmp_path, db, text, message):
    assert message in run(write(tmp_path, text))[2]


def test_a_deactivated_person_stops_the_whole_import(tmp_path, users):
    users["staff"].is_active = False
    users["staff"].save()
    text = f"unit,email,name,role\n{CENTRE_A},ok@example.org,Ok,staff\n{CENTRE_A},staff@example.org,Siri,staff\n"
    _out, err, error = run(write(tmp_path, text))
    assert "line 3: This person's account is deactivated" in err or "line 3: Kontoen" in err
    assert error == "1 line(s) could not be imported; nothing was imported"
    assert not get_user_model().objects.filter(email="ok@example.org").exists()


def test_unreadable_files_and_unknown_actors_are_refused(tmp_path, users):
    assert "cannot read" in run(str(tmp_path / "missing.csv"))[2]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("unit,email,name,role\nx,y@example.org,Bjørn,staff\n".encode("latin-1"))
    assert "is not UTF-8" in run(str(latin))[2]
    assert "no active administrator" in run(write(tmp_path, GOOD), "--by", "manager")[2]
