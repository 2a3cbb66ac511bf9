"""Command-line jobs: people import and schedules, with clear errors for bad files."""
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from surveys.errors import ImportRowError
from surveys.models import Member, Schedule, Team
from surveys.people import import_people

HEADER = "email,name,team,department,manager_email\n"


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_people_import_command_reports_counts(app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "a@example.com,Ana,growth,marketing,boss@example.com\n")
    result = run(app, "people", "import", str(path))
    assert result.exit_code == 0 and "created 1" in result.output and "1 new manager" in result.output


def test_people_import_command_lists_each_bad_line_with_its_number(app, session, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "a@example.com,Ana,growth,marketing,\nbad,Bo,growth,marketing,\n,,,,\n")
    result = run(app, "people", "import", str(path))
    assert result.exit_code == 1
    assert f"{path}:3: email 'bad' is not an e-mail address" in result.output
    assert f"{path}:4: email is empty" in result.output and "nothing was imported" in result.output
    assert session.scalar(select(func.count()).select_from(Member)) == 0


def test_people_import_command_rejects_files_that_are_not_utf8(app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(HEADER.encode() + b"a@example.com,\xff\xfe,growth,marketing,\n")
    result = run(app, "people", "import", str(path))
    assert result.exit_code == 1 and "not UTF-8" in result.output
    assert "Traceback" not in result.output
    assert run(app, "people", "import", str(tmp_path / "missing.csv")).exit_code == 1


def test_schedule_command_sets_cadence_and_refuses_unknown_teams(app, session, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "a@example.com,Ana,growth,marketing,\n")
    run(app, "people", "import", str(path))
    result = run(app, "surveys", "schedule", "growth", "--cadence", "fortnightly", "--starts", "2026-04-06")
    assert result.exit_code == 0 and session.scalar(select(Schedule)).cadence.value == "fortnightly"
    assert run(app, "surveys", "schedule", "nope", "--cadence", "weekly",
               "--starts", "2026-04-06").exit_code == 1


cell = st.one_of(st.text(max_size=20), st.emails(), st.sampled_from(["marketing", "sales", "growth", ""]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=7), max_size=6),
       header=st.sampled_from([HEADER, "email,name,team\n", ""]))
def test_fuzzed_people_files_import_completely_or_not_at_all(session, rows, header):
    text = header + "".join(",".join(r.replace(",", " ").replace("\n", " ") for r in row) + "\n"
                            for row in rows)
    members_before = session.scalar(select(func.count()).select_from(Member))
    teams_before = session.scalar(select(func.count()).select_from(Team))
    try:
        import_people(session, text)
    except ImportRowError as error:
        assert error.problems and all(isinstance(line, int) for line, _ in error.problems)
        assert session.scalar(select(func.count()).select_from(Member)) == members_before
        assert session.scalar(select(func.count()).select_from(Team)) == teams_before
