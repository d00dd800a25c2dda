"""Insights: which events pay off, drawn as server-side bar charts with the numbers in text."""

import datetime
import re

import pytest
from conftest import Auth, queries_run, without_tokens
from steps import add_event, today

from webapp import db, kept
from webapp.insights import figures
from webapp.models import Conversation, Event, FollowUp, Outcome, Person, Summary, User

DAY = datetime.timedelta(days=1)


def test_an_empty_account_gets_an_explanation_not_a_chart(client, user):
    response = client.get("/insights/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nothing to show yet" in page and "<svg" not in page


def test_insights_needs_a_login(client):
    assert client.get("/insights/").status_code == 302


def test_the_home_page_links_to_insights_follow_ups_and_people(client, user):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/insights/"' in page and 'href="/follow-ups/"' in page and 'href="/people"' in page


@pytest.fixture
def history(client, user, app):
    """Three past events and one to come, with people, follow-ups and outcomes in known numbers."""
    with db.database().connection_context():
        owner = User.get()
        t = today()
        meetup = Event.create(owner=owner, name="Python Pub", kind="meetup", starts_on=t - 30 * DAY, goal=2)
        conference = Event.create(owner=owner, name="BigConf", kind="conference", starts_on=t - 20 * DAY, goal=5)
        mixer = Event.create(owner=owner, name="Paid Mixer", kind="paid", starts_on=t - 10 * DAY, goal=3)
        Event.create(owner=owner, name="Next Month", kind="meetup", starts_on=t + 30 * DAY, goal=3)

        def meet(name, *events, company="", hiring=False):
            person = Person.create(owner=owner, name=name, company=company, hiring=hiring)
            for event in events:
                Conversation.create(person=person, event=event)
            return person

        ann = meet("Ann", meetup, mixer, company="Acme", hiring=True)  # first met at the meetup
        bob = meet("Bob", meetup, company="acme", hiring=True)
        meet("Cid", conference, company="Globex", hiring=True)
        meet("Dee", conference)
        meet("Eve", mixer, company="Initech")
        FollowUp.create(person=ann, event=meetup, reason="x", due_on=t, done_on=t)
        FollowUp.create(person=bob, event=meetup, reason="y", due_on=t)  # still open: not counted
        Outcome.create(person=ann, kind="job_lead", happened_on=t)
        Outcome.create(person=ann, kind="referral", happened_on=t)
        Outcome.create(person=bob, kind="referral", happened_on=t)
        return owner


def test_figures_per_event_count_people_follow_ups_done_and_outcomes(history):
    with db.database().connection_context():
        events = figures.latest_events(history.id, today(), 12)
    rows = [(e.name, e.met, e.done, e.outcomes) for e in events]
    # Newest first, the event still to come left out; Ann's outcomes count for the meetup where she was first met.
    assert rows == [("Paid Mixer", 2, 0, 0), ("BigConf", 2, 0, 0), ("Python Pub", 2, 1, 3)]


def test_figures_per_kind_and_companies_hiring(history):
    with db.database().connection_context():
        totals = figures.totals(history.id, today())
        kinds = totals.kinds
        hiring = figures.companies_hiring(history.id)
        outcomes = figures.outcomes_by_kind(history.id)
    assert {k: (t.events, t.met, t.done, t.outcomes) for k, t in kinds.items()} == {
        "meetup": (1, 2, 1, 3), "conference": (1, 2, 0, 0), "paid": (1, 2, 0, 0)}
    assert (totals.finished, totals.reached) == (3, 1)  # only the meetup's goal (2 of 2) was reached
    assert hiring == [("Acme", 2), ("Globex", 1)]  # "Acme" and "acme" are one company
    assert outcomes == [("referral", 2), ("job_lead", 1)]


def test_a_company_hiring_is_one_whatever_the_case_of_its_letters(client, user):
    # SQLite's LOWER() folds only A to Z: "Société Générale" and "SOCIÉTÉ GÉNÉRALE" were two companies there.
    with db.database().connection_context():
        owner = User.get()
        for name, company in (("Dan", "Société Générale"), ("Eve", "SOCIÉTÉ GÉNÉRALE"), ("Ola", "Økern Øl"),
                              ("Per", "økern øl"), ("Ann", "Acme")):
            Person.create(owner=owner, name=name, company=company, hiring=True)
        hiring = figures.companies_hiring(owner.id)
    # Which spelling shows, and the order of a tie, follow the database's collation.
    assert sorted((-count, company.lower()) for company, count in hiring) == [
        (-2, "société générale"), (-2, "økern øl"), (-1, "acme")]


def test_the_insights_page_shows_hit_rate_and_charts_with_the_numbers_in_text(client, history):
    page = client.get("/insights/").get_data(as_text=True)
    # Goal reached at the meetup (2 of 2) only; BigConf (2 of 5) and the mixer (2 of 3) fell short.
    assert "33%" in page and "goal reached at 1 of 3 finished events" in page
    # Six meetings, five people: Ann, met at the meetup and the mixer, is one person met.
    assert '<p class="stat-number">5</p>' in page and "people met at 3 events" in page
    assert page.count("<svg") == 4
    table = re.search(r'<figure class="chart" id="chart-events">.*?</figure>', page, re.S).group(0)
    pub = today() - 30 * DAY
    assert f'<th scope="row">Python Pub, {pub.day} {pub:%b %Y}</th><td>2</td><td>1</td><td>3</td>' in table
    assert 'aria-hidden="true"' in table and 'class="visually-hidden"' in table
    kinds = re.search(r'id="chart-kinds">.*?</figure>', page, re.S).group(0)
    assert '<th scope="row">Technical meetup</th><td>2</td><td>1</td><td>3</td>' in kinds
    assert '<th scope="row">Paid networking</th><td>2</td><td>0</td><td>0</td>' in kinds
    hiring = re.search(r'id="chart-hiring">.*?</figure>', page, re.S).group(0)
    assert '<th scope="row">Acme</th><td>2</td>' in hiring


def test_each_time_a_monthly_meetup_met_is_told_apart_by_its_day(client, user):
    with db.database().connection_context():
        owner = User.get()
        t = today()
        for months_ago, met in ((3, 3), (2, 1), (1, 2)):
            event = Event.create(owner=owner, name="Dublin JS Monthly", starts_on=t - months_ago * 30 * DAY)
            for n in range(met):
                Conversation.create(person=Person.create(owner=owner, name=f"P{months_ago}-{n}"), event=event)
        Event.create(owner=owner, name="A meetup with a name far too long for the chart to show",
                     starts_on=t - DAY)
    page = client.get("/insights/").get_data(as_text=True)
    chart = re.search(r'id="chart-events">.*?</figure>', page, re.S).group(0)
    rows = re.findall(r'<th scope="row">([^<]*)</th><td>(\d+)</td>', chart)
    days = [t - months_ago * 30 * DAY for months_ago in (1, 2, 3)]
    assert rows[1:] == [(f"Dublin JS Monthly, {d.day} {d:%b %Y}", met) for d, met in zip(days, "213", strict=True)]
    shown = re.findall(r'<text class="chart-label"[^>]*>([^<]*)</text>', chart)
    yesterday = t - DAY
    name, day = shown[0].split("…, ")  # the name cut short, not its day
    assert "A meetup with a name far too long".startswith(name) and day == f"{yesterday.day} {yesterday:%b %Y}"
    assert len(shown[0]) <= 38
    assert shown[1:] == [label for label, _ in rows[1:]]


def test_bars_are_as_long_as_their_numbers(client, history):
    page = client.get("/insights/").get_data(as_text=True)
    chart = re.search(r'id="chart-events">.*?</svg>', page, re.S).group(0)
    widths = [float(w) for w in re.findall(r'<rect class="bar bar-\d+" x="0" y="[\d.]+" width="([\d.]+)"', chart)]
    # Rows: mixer (2, 0, 0), BigConf (2, 0, 0), pub (2, 1, 3); the longest bar is the 3.
    assert widths[8] == max(widths) == 290
    assert widths[0] == widths[3] == widths[6] == pytest.approx(290 * 2 / 3, abs=0.1)
    assert widths[1] == widths[2] == 0


def test_the_insights_page_takes_the_same_number_of_queries_for_many_events(client, user):
    def queries_for(events):
        with db.database().connection_context():
            owner = User.get()
            for i in range(events):
                event = Event.create(owner=owner, name=f"E{i}", starts_on=today() - (i + 1) * DAY)
                person = Person.create(owner=owner, name=f"P{i}", company=f"C{i}", hiring=True)
                Conversation.create(person=person, event=event)
                FollowUp.create(person=person, event=event, reason="r", due_on=today(), done_on=today())
                Outcome.create(person=person, kind="advice", happened_on=today())
            # Written here straight into the tables: counted as a change, as a form's POST is.
            User.update(data_version=User.data_version + 1).execute()
        with queries_run() as executed:
            assert client.get("/insights/").status_code == 200
        return len(executed)

    assert queries_for(2) == queries_for(30)


def test_a_second_look_reads_the_kept_figures_and_any_change_shows_at_once(client, history):
    def look():
        with queries_run() as executed:
            page = client.get("/insights/").get_data(as_text=True)
        return without_tokens(page), len(executed)

    client.get("/")  # shows the welcome message, which would otherwise tell the two looks apart
    first, worked_out = look()
    again, read_back = look()
    assert again == first and read_back < worked_out, (read_back, worked_out)
    add_event(client, name="Kafka Summit", day=today() - DAY)  # a change through the forms
    client.get("/")  # where the save leads: the header's events are read for the new version there, once
    changed, after_change = look()
    assert "Kafka Summit" in changed and "Kafka Summit" not in first and after_change == worked_out
    # A new day works them out again too: "latest events" depends on today.
    with db.database().connection_context():
        Summary.update(day=today() - DAY).execute()
    kept.forget_all()  # a worker's first look today, with the figures kept yesterday
    client.get("/")
    assert look()[1] == worked_out


def test_another_users_events_stay_out_of_my_insights(client, history):
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    add_event(client, name="Mallory's own", day=today() - DAY)
    page = client.get("/insights/").get_data(as_text=True)
    assert "Python Pub" not in page and "Acme" not in page and "Mallory&#39;s own" in page


def test_the_chart_shows_the_latest_events_and_the_totals_count_them_all(client, user):
    with db.database().connection_context():
        owner = User.get()
        for i in range(14):
            event = Event.create(owner=owner, name=f"Night {i}", starts_on=today() - (i + 1) * DAY, goal=1)
            Conversation.create(person=Person.create(owner=owner, name=f"P{i}"), event=event)
    page = client.get("/insights/").get_data(as_text=True)
    chart = re.search(r'id="chart-events">.*?</figure>', page, re.S).group(0)
    assert "Night 0" in chart and "Night 11" in chart and "Night 12" not in chart
    assert "The latest 12 events" in page
    assert "14</p>" in page and "people met at 14 events" in page
    assert "100%" in page and "goal reached at 14 of 14 finished events" in page


def test_a_conference_still_running_is_not_a_finished_event_and_one_person_is_one_person(client, user):
    with db.database().connection_context():
        owner = User.get()
        t = today()
        Event.create(owner=owner, name="KubeCon", kind="conference", starts_on=t - DAY, ends_on=t + 2 * DAY, goal=10)
        meetup = Event.create(owner=owner, name="Last week", kind="meetup", starts_on=t - 7 * DAY, goal=1)
        Conversation.create(person=Person.create(owner=owner, name="Ann"), event=meetup)
    page = client.get("/insights/").get_data(as_text=True)
    assert "goal reached at 1 of 1 finished event" in page  # KubeCon, on its day 2, is not finished
    assert '<p class="stat-number">1</p>' in page and "person met at 2 events" in page


def test_an_evening_that_ended_after_midnight_yesterday_is_a_finished_event(client, user):
    """Listed under Past on the events page, it counts towards the goal hit rate too."""
    with db.database().connection_context():
        owner = User.get()
        party = Event.create(owner=owner, name="Late party", starts_on=today() - DAY, ends_on=today(),
                             start_time=datetime.time(20), end_time=datetime.time(2), goal=1)
        Conversation.create(person=Person.create(owner=owner, name="Ann"), event=party)
    assert "goal reached at 1 of 1 finished event" in client.get("/insights/").get_data(as_text=True)


def test_people_met_with_nothing_planned_are_their_own_group_outside_the_goal_hit_rate(client, user):
    with db.database().connection_context():
        owner = User.get()
        t = today()
        talk = Event.create(owner=owner, name="Open evening", kind="other", starts_on=t - 3 * DAY, goal=2)
        for i, (day, met) in enumerate(((t - 5 * DAY, 1), (t - 3 * DAY, 4), (t, 2))):
            quick = owner.quick_event(day)
            for n in range(met):
                Conversation.create(person=Person.create(owner=owner, name=f"Q{i}-{n}"), event=quick)
        Conversation.create(person=Person.create(owner=owner, name="Ann"), event=talk)
        totals = figures.totals(owner.id, t)
        latest = figures.latest_events(owner.id, t, 12)
    assert (totals.finished, totals.reached) == (1, 0)  # the open evening only: 1 met of a goal of 2
    assert (totals.kinds["other"].events, totals.kinds["other"].met) == (1, 1)
    assert (totals.kinds[figures.NOT_PLANNED].events, totals.kinds[figures.NOT_PLANNED].met) == (3, 7)
    assert [e.name for e in latest] == ["Open evening"]
    page = client.get("/insights/").get_data(as_text=True)
    assert "0%" in page and "goal reached at 0 of 1 finished event" in page
    assert '<p class="stat-number">8</p>' in page
    assert "people met at 1 event and on 3 days with no event planned" in page
    assert "Other: 1 event, 1.0 people met per event" in page
    assert "Not at a planned event: 7 people met on 3 days" in page
    kinds = re.search(r'id="chart-kinds">.*?</figure>', page, re.S).group(0)
    assert '<th scope="row">Not at a planned event</th><td>7</td>' in kinds
    events = re.search(r'id="chart-events">.*?</figure>', page, re.S).group(0)
    assert "Met on" not in events


def test_an_account_with_only_people_met_with_nothing_planned_shows_them(client, user):
    with db.database().connection_context():
        owner = User.get()
        Conversation.create(person=Person.create(owner=owner, name="Ann"), event=owner.quick_event(today()))
    page = client.get("/insights/").get_data(as_text=True)
    assert "Nothing to show yet" not in page and "goal hit rate: no finished event yet" in page
    assert "Not at a planned event: 1 person met on 1 day" in page and "No planned event yet" in page
    assert ">person met on 1 day with no event planned</p>" in page and "0 events" not in page
