"""People import: all lines or none, every bad line reported, nobody deactivated silently."""
import pytest
from sqlalchemy import func, select

from surveys.errors import ImportRowError
from surveys.models import Department, Manager, Member, Team
from surveys.people import import_people, parse_people_csv

HEADER = "email,name,team,department,manager_email\n"


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_import_people_creates_departments_teams_members_and_managers(session):
    text = HEADER + ("ana@example.com,Ana Li,Growth Marketing,Marketing,boss@example.com\n"
                     "ben@example.com,Ben Ode,Enterprise Sales,sales,\n")
    report = import_people(session, text)
    assert (report.created, report.teams_created, report.managers_created) == (2, 2, 1)
    team = session.scalar(select(Team).where(Team.slug == "growth-marketing"))
    assert team.name == "Growth Marketing" and team.department.slug == "marketing"
    manager = session.scalar(select(Manager))
    assert manager.email == "boss@example.com" and [t.slug for t in manager.teams] == ["growth-marketing"]
    assert {d.slug for d in session.scalars(select(Department))} == {"marketing", "sales"}


def test_import_people_updates_and_never_deactivates_missing_people(session):
    import_people(session, HEADER + "ana@example.com,Ana Li,growth,marketing,\n"
                                    "ben@example.com,Ben Ode,growth,marketing,\n")
    report = import_people(session, HEADER + "ANA@example.com,Ana Li-Smith,growth,marketing,\n")
    assert report.updated == 1 and report.not_in_file == ["ben@example.com"]
    assert session.scalar(select(Member).where(Member.email == "ben@example.com")).active
    assert session.scalar(select(Member).where(Member.email == "ana@example.com")).name == "Ana Li-Smith"


def test_import_people_reactivates_a_listed_inactive_member(session):
    import_people(session, HEADER + "ana@example.com,Ana,growth,marketing,\n")
    member = session.scalar(select(Member))
    member.active = False
    session.commit()
    assert import_people(session, HEADER + "ana@example.com,Ana,growth,marketing,\n").reactivated == 1


def test_import_people_reports_every_bad_line_and_commits_nothing(session):
    text = HEADER + ("ok@example.com,Fine Person,growth,marketing,\n"
                     "not-an-email,Bad Email,growth,marketing,\n"
                     "x@example.com,,growth,marketing,\n"
                     "ok@example.com,Duplicate,growth,marketing,\n"
                     "y@example.com,Wrong Dept,growth,sales,\n"
                     "z@example.com,Bad Boss,growth,marketing,boss-at-nowhere\n"
                     "n@example.com,Nul\x00Name,growth,marketing,\n")
    with pytest.raises(ImportRowError) as caught:
        import_people(session, text)
    lines = [line for line, _ in caught.value.problems]
    assert lines == [3, 4, 5, 6, 7, 8]
    assert "line 8: name contains a NUL character" in str(caught.value)
    assert "line 3" in str(caught.value) and "not an e-mail address" in str(caught.value)
    assert count(session, Member) == 0 and count(session, Team) == 0


def test_import_people_refuses_moving_an_existing_team_to_another_department(session):
    import_people(session, HEADER + "a@example.com,A,growth,marketing,\n")
    with pytest.raises(ImportRowError, match="already belongs to department marketing"):
        import_people(session, HEADER + "b@example.com,B,growth,sales,\n")
    assert count(session, Member) == 1


@pytest.mark.parametrize("text, reason", [
    ("email,name\n", "missing column"),
    (HEADER, "no people"),
    (HEADER + "a@example.com,A,t,d,,extra\n", "more fields"),
    (HEADER + "a@example.com,A,!!!,d,\n", "no letters or digits"),
    (HEADER + f"a@example.com,{'x' * 201},t,d,\n", "longer than"),
])
def test_parse_people_csv_names_the_problem(text, reason):
    with pytest.raises(ImportRowError, match=reason):
        parse_people_csv(text)
