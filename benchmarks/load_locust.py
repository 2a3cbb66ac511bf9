"""Locust users for `python -m benchmarks.load` (run by it as `locust -f … --headless`).

The run's plan is a JSON file named by LOAD_PLAN: survey links, sign-in accounts and how many
users of each kind to start. Every request is recorded (start, milliseconds, ok) into the JSON
file named by LOAD_RESULTS when locust quits; the benchmark computes its figures from that, not
from locust's rounded percentiles. The run quits by itself once every link has been answered
(or, for the bare handler, every row posted).
"""
import json
import os
import re
from itertools import count

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.load(open(os.environ["LOAD_PLAN"]))
RECORDS = []
LINKS = iter(PLAN.get("links", []))
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
        json.dump(RECORDS, out)


def finished(environment):
    """A load-generating user is done; the last one ends the run (managers included)."""
    if next(FINISHED) == PLAN["finishers"]:
        gevent.spawn(environment.runner.quit)
    raise StopUser()


class SurveyTaker(FastHttpUser):
    """One person after another: open the link, get the form, send answers with the CSRF token."""

    fixed_count = PLAN.get("survey_users", 0)
    wait_time = constant(0)

    @task
    def answer(self):
        """Answer one invitation, or finish when every link has been used."""
        link = next(LINKS, None)
        if link is None:
            finished(self.environment)
        number, token = link
        with self.client.get(f"/s/{token}", name="link", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 303:
                return response.failure(f"link answered {response.status_code}")
        with self.client.get("/s/", name="form", catch_response=True) as response:
            if response.status_code != 200:
                return response.failure(f"form answered {response.status_code}")
            page = response.text
        self._submit(page, number)

    def _submit(self, page, number):
        data = {name: str(1 + (number + i) % 5) for i, name in enumerate(sorted(set(ITEM.findall(page))))}
        data.update(enps=str(number % 11), csrf_token=CSRF.search(page).group(1))
        if number % COMMENT_EVERY == 0:
            data["comment"] = "The leads we get from marketing arrive late and half empty."
        with self.client.post("/s/", data=data, name="submit", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 303 or not response.headers.get("Location", "").endswith("/s/thanks"):
                response.failure(f"submit answered {response.status_code}")


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
