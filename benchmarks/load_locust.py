"""Locust users for `python -m benchmarks.load` (run by it as `locust -f … --headless`).

The run's plan is a JSON file named by LOAD_PLAN: survey links (or people already prepared),
sign-in accounts and how many users of each kind to start. One run is one phase of the
benchmark: whole journeys, preparation (link exchange + form GET, keeping each person's cookie
and CSRF token), a submission phase (answers POST only, paced or as fast as possible, with or
without managers browsing), or the bare baseline. Every request is recorded (start,
milliseconds, ok) into the JSON file named by LOAD_RESULTS when locust quits, with the prepared
people beside them; the benchmark computes its figures from that, not from locust's rounded
percentiles. The run quits by itself once every link has been used (or, for the bare handler,
every row posted).

Pacing (`submit_rate` in the plan, submissions per second over all submitters): each submitter
sends at Poisson arrival times at its share of the rate, scheduled independently of how long
the server takes (a slow answer does not slow the arrivals down, it only lets them queue), so
the burst looks like people clicking their e-mailed links, not like a metronome.
"""
import json
import os
import random
import re
import time
from itertools import count

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.load(open(os.environ["LOAD_PLAN"]))
RECORDS = []
#: People prepared by this run: [number, session cookie, CSRF token, item field names].
PREPARED = []
LINKS = iter(PLAN.get("links", []))
PEOPLE = iter(PLAN.get("prepared", []))
BARE_POSTS = count()
ACCOUNTS = count()
FINISHED = count(1)
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
ITEM = re.compile(r'name="(item_[^"]+)"')
COMMENT_EVERY = 5  # one person in five leaves a comment, so the scorer is on the path too


@events.request.add_listener
def record(name, response_time, exception, start_time=None, **_kwargs):
    """Keep every request: (name, start, milliseconds, ok)."""
    RECORDS.append((name, start_time, response_time, exception is None))


@events.quitting.add_listener
def save(**_kwargs):
    """Write the records for the benchmark to read."""
    with open(os.environ["LOAD_RESULTS"], "w") as out:
        json.dump({"records": RECORDS, "prepared": PREPARED}, out)


def finished(environment):
    """A load-generating user is done; the last one ends the run (managers included)."""
    if next(FINISHED) == PLAN["finishers"]:
        gevent.spawn(environment.runner.quit)
    raise StopUser()


def answers_for(number, items, csrf_token):
    """The form data person `number` sends: every item, the recommend score, maybe a comment."""
    data = {name: str(1 + (number + i) % 5) for i, name in enumerate(items)}
    data.update(enps=str(number % 11), csrf_token=csrf_token)
    if number % COMMENT_EVERY == 0:
        data["comment"] = "The leads we get from marketing arrive late and half empty."
    return data


class SurveyUser(FastHttpUser):
    """Shared steps of the survey users; each person starts with an empty cookie jar."""

    abstract = True
    wait_time = constant(0)

    def open_form(self, token, prefix=""):
        """Link exchange then form GET; returns the form page, or None after a failure."""
        self.client.cookiejar.clear()
        with self.client.get(f"/s/{token}", name=f"{prefix}link", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 303:
                response.failure(f"link answered {response.status_code}")
                return None
        with self.client.get("/s/", name=f"{prefix}form", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"form answered {response.status_code}")
                return None
            return response.text

    def submit(self, data, name, headers=None):
        """POST the answers; a success is the redirect to the thank-you page."""
        with self.client.post("/s/", data=data, name=name, headers=headers,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 303 or not response.headers.get("Location", "").endswith("/s/thanks"):
                response.failure(f"submit answered {response.status_code}")
                return False
        return True


class JourneyTaker(SurveyUser):
    """Whole journeys: link → cookie, form, answers; each journey is also recorded as one."""

    fixed_count = PLAN.get("journey_users", 0)

    @task
    def answer(self):
        """Answer one invitation from start to end, or finish when every link has been used."""
        link = next(LINKS, None)
        if link is None:
            finished(self.environment)
        number, token = link
        start, began = time.time(), time.perf_counter()
        page = self.open_form(token, "journey ")
        ok = page is not None and self.submit(
            answers_for(number, sorted(set(ITEM.findall(page))), CSRF.search(page).group(1)),
            "journey submit")
        RECORDS.append(("journey", start, 1000 * (time.perf_counter() - began), ok))


class Preparer(SurveyUser):
    """Preparation only: link exchange and form GET, keeping what the answers POST needs."""

    fixed_count = PLAN.get("prepare_users", 0)

    @task
    def prepare(self):
        """Prepare one person, or finish when every link has been used."""
        link = next(LINKS, None)
        if link is None:
            finished(self.environment)
        number, token = link
        page = self.open_form(token)
        if page is None:
            return
        cookie = next((c.value for c in self.client.cookiejar if c.name == "session"), None)
        PREPARED.append([number, cookie, CSRF.search(page).group(1), sorted(set(ITEM.findall(page)))])


def poisson_pacing(rate):
    """A locust wait_time: Poisson arrivals at `rate` per second for one user, open loop.

    The next arrival is drawn from the schedule, not from the end of the last request, so a
    slow response makes the user late (it then sends at once) rather than lowering the rate.
    """
    def wait_time(user):
        now = time.monotonic()
        if not hasattr(user, "next_arrival"):
            user.next_arrival = now  # the first arrival is drawn below, from now
        user.next_arrival += random.expovariate(rate)
        return max(0.0, user.next_arrival - now)
    return wait_time


class Submitter(SurveyUser):
    """Submissions: each prepared person's answers POST, with that person's cookie."""

    fixed_count = PLAN.get("submit_users", 0)
    if PLAN.get("submit_rate"):
        wait_time = poisson_pacing(PLAN["submit_rate"] / max(1, PLAN["submit_users"]))

    def on_start(self):
        """A paced submitter starts at a random point of its first interval, not in step."""
        if PLAN.get("submit_rate"):
            gevent.sleep(self.wait_time())

    @task
    def answer(self):
        """Send one prepared person's answers, or finish when everyone has answered."""
        person = next(PEOPLE, None)
        if person is None:
            finished(self.environment)
        number, cookie, csrf_token, items = person
        self.client.cookiejar.clear()  # the previous person's cookie must not go along
        self.submit(answers_for(number, items, csrf_token), "submit",
                    headers={"Cookie": f"session={cookie}"})


class ManagerViewer(FastHttpUser):
    """A signed-in manager (or the admin) looking at the overview and their team, now and then."""

    fixed_count = PLAN.get("manager_users", 0)
    wait_time = between(0.2, 0.6)

    def on_start(self):
        """Sign in through the real form."""
        accounts = PLAN["accounts"]
        self.email, self.team = accounts[next(ACCOUNTS) % len(accounts)]
        page = self.client.get("/login", name="login page").text
        self.client.post("/login", name="sign in", allow_redirects=False, data={
            "email": self.email, "password": PLAN["password"], "csrf_token": CSRF.search(page).group(1)})

    @task(2)
    def overview(self):
        """The overview page."""
        self._page("overview", "/overview")

    @task(1)
    def team(self):
        """The page of a team the account may see."""
        self._page("team", f"/teams/{self.team}")

    def _page(self, name, path):
        # Not following redirects: a redirect to the sign-in page is a failure, not a page view.
        with self.client.get(path, name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")


class BareWriter(FastHttpUser):
    """The baseline: one POST, one inserted row, as many as there are people."""

    fixed_count = PLAN.get("bare_users", 0)
    wait_time = constant(0)
    if PLAN.get("bare_rate"):  # paced like the burst's submitters
        wait_time = poisson_pacing(PLAN["bare_rate"] / max(1, PLAN["bare_users"]))

    def on_start(self):
        """A paced writer starts at a random point of its first interval, not in step."""
        if PLAN.get("bare_rate"):
            gevent.sleep(self.wait_time())

    @task
    def insert(self):
        """Post one row, or finish when the run's rows are all posted."""
        number = next(BARE_POSTS)
        if number >= PLAN["bare_posts"]:
            finished(self.environment)
        data = {f"item_{i}": str(1 + (number + i) % 5) for i in range(5)}
        data["enps"] = str(number % 11)
        with self.client.post("/", data=data, name="submit", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"insert answered {response.status_code}")
