"""Importing the people directory from CSV: validate every line first, then apply all or nothing."""
import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from surveys.db import immediate_transaction
from surveys.errors import ImportRowError, TandemError
from surveys.models import Department, Manager, Member, Team

PEOPLE_COLUMNS = ("email", "name", "team", "department", "manager_email")
EMAIL_PATTERN = re.compile(r"^[^@\s,;<>\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_FIELD = 200


@dataclass(frozen=True)
class PersonRow:
    """One validated line of a people file."""

    line: int
    email: str
    name: str
    team: str
    team_name: str
    department: str
    manager_email: str | None


@dataclass
class PeopleImportReport:
    """What an import changed, in counts and e-mail addresses for the admin who ran it."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    reactivated: int = 0
    teams_created: int = 0
    managers_created: int = 0
    #: Active members missing from the file: reported, never deactivated silently.
    not_in_file: list = field(default_factory=list)


def slugify(text):
    """A lowercase key made of letters, digits and dashes ("Growth Marketing" → "growth-marketing")."""
    return re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")


def is_email(value):
    """Whether `value` looks like a deliverable e-mail address."""
    return len(value) <= 254 and EMAIL_PATTERN.match(value) is not None


def parse_people_csv(text):
    """Validate a people CSV; return its rows or raise ImportRowError listing every bad line."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in PEOPLE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRowError([(1, f"missing column(s): {', '.join(missing)}")])
    rows, problems = [], []
    for number, record in enumerate(reader, start=2):
        row, reasons = _validate_person(number, record)
        problems += [(number, reason) for reason in reasons]
        if row:
            rows.append(row)
    problems += _cross_row_problems(rows)
    if problems:
        raise ImportRowError(sorted(problems))
    if not rows:
        raise ImportRowError([(1, "the file has no people in it")])
    return rows


def _validate_person(number, record):
    if None in record:
        return None, ["more fields than the header has columns"]
    values = {c: (record.get(c) or "").strip() for c in PEOPLE_COLUMNS}
    reasons = [f"{c} is longer than {MAX_FIELD} characters"
               for c, v in values.items() if len(v) > MAX_FIELD]
    reasons += [f"{c} is empty" for c in ("email", "name", "team", "department") if not values[c]]
    # PostgreSQL cannot store NUL in text; SQLite could, so refuse it on both alike.
    reasons += [f"{c} contains a NUL character" for c, v in values.items() if "\x00" in v]
    if values["email"] and not is_email(values["email"]):
        reasons.append(f"email {values['email']!r} is not an e-mail address")
    if values["manager_email"] and not is_email(values["manager_email"]):
        reasons.append(f"manager_email {values['manager_email']!r} is not an e-mail address")
    for column in ("team", "department"):
        if values[column] and not slugify(values[column]):
            reasons.append(f"{column} {values[column]!r} has no letters or digits")
    if reasons:
        return None, reasons
    return PersonRow(number, values["email"].lower(), values["name"], slugify(values["team"]),
                     values["team"], slugify(values["department"]),
                     values["manager_email"].lower() or None), []


def _cross_row_problems(rows):
    problems, seen_email, team_department = [], {}, {}
    for row in rows:
        if row.email in seen_email:
            problems.append((row.line, f"{row.email} is already on line {seen_email[row.email]}"))
        seen_email.setdefault(row.email, row.line)
        first = team_department.setdefault(row.team, (row.department, row.line))
        if first[0] != row.department:
            problems.append((row.line, f"team {row.team} is in department {first[0]} "
                                       f"on line {first[1]}, not {row.department}"))
    return problems


def import_people(session, text):
    """Create or update departments, teams, members and managers from a people CSV, atomically."""
    rows = parse_people_csv(text)
    report = PeopleImportReport()
    with immediate_transaction(session):
        _check_against_database(session, rows)
        departments = _ensure_departments(session, {r.department for r in rows})
        teams = _ensure_teams(session, rows, departments, report)
        members = _members_by_email(session, {r.email for r in rows})
        for row in rows:
            _upsert_member(session, row, teams[row.team], members, report)
        _link_managers(session, rows, teams, members, report)
        listed = {r.email for r in rows}
        report.not_in_file = sorted(
            m.email for m in session.scalars(select(Member).where(Member.active))
            if m.email not in listed)
    return report


def _check_against_database(session, rows):
    # A team that already exists must keep its department; moving teams is a deliberate admin act.
    existing = {t.slug: t.department.slug for t in session.scalars(select(Team))}
    problems = [(r.line, f"team {r.team} already belongs to department {existing[r.team]}")
                for r in rows if r.team in existing and existing[r.team] != r.department]
    if problems:
        raise ImportRowError(problems)


def _ensure_departments(session, slugs):
    found = {d.slug: d for d in session.scalars(select(Department).where(Department.slug.in_(slugs)))}
    for slug in sorted(slugs - found.keys()):
        found[slug] = Department(slug=slug, name=slug.replace("-", " ").title())
        session.add(found[slug])
    return found


def _ensure_teams(session, rows, departments, report):
    wanted = {r.team: r for r in rows}
    found = {t.slug: t for t in session.scalars(select(Team).where(Team.slug.in_(wanted)))}
    for slug in sorted(wanted.keys() - found.keys()):
        row = wanted[slug]
        found[slug] = Team(slug=slug, name=row.team_name, department=departments[row.department])
        session.add(found[slug])
        report.teams_created += 1
    return found


#: E-mail addresses looked up per query (well under every database's bound-parameter limit).
LOOKUP_BATCH = 500


def _members_by_email(session, emails):
    """{e-mail: Member} for the addresses already stored, in a few queries.

    One query per line would autoflush the growing session each time: quadratic, minutes for a
    company of a few thousand people.
    """
    ordered, found = sorted(emails), {}
    for start in range(0, len(ordered), LOOKUP_BATCH):
        batch = ordered[start:start + LOOKUP_BATCH]
        found.update((m.email, m) for m in session.scalars(select(Member).where(Member.email.in_(batch))))
    return found


def _upsert_member(session, row, team, members, report):
    member = members.get(row.email)
    if member is None:
        members[row.email] = Member(email=row.email, name=row.name, team=team, active=True)
        session.add(members[row.email])
        report.created += 1
        return
    changed = member.name != row.name or member.team_id != team.id
    member.name, member.team = row.name, team
    if not member.active:
        member.active = True
        report.reactivated += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _link_managers(session, rows, teams, members, report):
    session.flush()
    wanted = {r.manager_email for r in rows if r.manager_email}
    managers = {m.email: m for m in session.scalars(select(Manager).where(Manager.email.in_(wanted)))}
    for row in rows:
        if not row.manager_email:
            continue
        manager = managers.get(row.manager_email)
        if manager is None:
            manager = Manager(email=row.manager_email,
                              name=_manager_name(session, row.manager_email, members))
            managers[row.manager_email] = manager
            session.add(manager)
            report.managers_created += 1
        if teams[row.team] not in manager.teams:
            manager.teams.append(teams[row.team])


def _manager_name(session, email, members):
    member = members.get(email) or session.scalar(select(Member).where(Member.email == email))
    return member.name if member else email.split("@")[0].replace(".", " ").title()


def deactivate_member(session, member):
    """Stop inviting a member; their open survey links stop working at once."""
    with immediate_transaction(session):
        member.active = False


def add_department(session, name):
    """Add a department (e.g. a partner team such as customer success); returns it."""
    slug = slugify(name)
    if not slug:
        raise TandemError("a department needs a name with letters or digits")
    with immediate_transaction(session):
        department = session.scalar(select(Department).where(Department.slug == slug))
        if department is None:
            department = Department(slug=slug, name=name.strip()[:120])
            session.add(department)
    return department


def members_by_team(session):
    """Every member, grouped by team name (for the admin's directory)."""
    groups = {}
    for member in session.scalars(select(Member).join(Team).order_by(Team.name, Member.name)):
        groups.setdefault(member.team.name, []).append(member)
    return groups


def all_teams(session):
    """Every team, by name."""
    return session.scalars(select(Team).order_by(Team.name)).all()


def departments(session):
    """Every department, by name."""
    return session.scalars(select(Department).order_by(Department.name)).all()


def team_by_id(session, team_id):
    """One team, or a TandemError when there is none."""
    team = session.get(Team, team_id)
    if team is None:
        raise TandemError(f"no team with id {team_id}")
    return team


def active_members(session):
    """Every active member, by id."""
    return session.scalars(select(Member).where(Member.active).order_by(Member.id)).all()
