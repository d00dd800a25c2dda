"""The drafted follow-up message: one person writing to another, built from the reason, never from the notes."""

import datetime
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.followups import message

PYDATA = SimpleNamespace(name="PyData London", starts_on=datetime.date(2026, 3, 12))


def draft(reason, name="Jane Doe", event=PYDATA, sender="Ada Lovelace", greeting="", sign_off=""):
    return message.draft(SimpleNamespace(reason=reason), SimpleNamespace(name=name), event, sender,
                         greeting, sign_off)


@pytest.mark.parametrize("reason, kind, sentence", [
    ("send the article on CDC", "send", "As promised, here is the article on CDC I mentioned."),
    ("Share the slides.", "send", "As promised, here are the slides I mentioned."),
    ("send the article on CDC I mentioned", "send", "As promised, here is the article on CDC I mentioned."),
    ("intro to Sam, as we discussed", "intro",
     "I'd be glad to make the introduction to Sam we talked about: shall I?"),
    ("Intro to Sam.", "intro", "I'd be glad to make the introduction to Sam we talked about: shall I?"),
    ("introduce her to Lee from Globex", "intro",
     "I'd be glad to make the introduction to Lee from Globex we talked about: shall I?"),
    ("They are hiring for a senior role.", "job", "I'd love to hear more about the senior role you mentioned."),
    ("They are hiring a staff data engineer", "job",
     "I'd love to hear more about the staff data engineer role you mentioned."),
    ("job lead: data engineer at Acme", "job",
     "I'd love to hear more about the data engineer role at Acme you mentioned."),
    ("Ask about the conference CFP.", "question", "I wanted to ask you about the conference CFP."),
    ("How do they run on-call?", "question", "I wanted to ask you: how do you run on-call?"),
    ("Ask about their Kafka setup", "question", "I wanted to ask you about your Kafka setup."),
    ("refer me", "job", "I'd love to hear more about the role you mentioned."),
    ("Introduce me to their CTO", "intro", "Would you still introduce me to your CTO, as we talked about?"),
    # Two records made one keep both reasons ("; "): a sentence each.
    ("send the deck; coffee", "meet", "As promised, here is the deck I mentioned. Would you be up for a coffee?"),
    ("coffee; intro to Sam", "intro",
     "Would you be up for a coffee? I'd be glad to make the introduction to Sam we talked about: shall I?"),
    ("thank them for the advice", "thanks", "Thanks again for the advice."),
    ("Thanks!", "thanks", "Thanks again for your time."),
    ("Coffee next month.", "meet", "Would you be up for a coffee next month?"),
    ("Runs their Postgres team", "other", 'I\'m following up as promised: "Runs their Postgres team".'),
    ("", "other", "It would be good to stay in touch."),
])
def test_each_kind_of_reason_reads_naturally(reason, kind, sentence):
    assert message.kind_of(reason) == kind
    text = draft(reason)
    assert text.short == f"Hi Jane,\nGreat to meet you at PyData London. {sentence}\nBest,\nAda"
    assert text.long == ("Hi Jane,\n\nIt was great to meet you at PyData London on 12 March.\n\n" + sentence +
                         ("\n\nIt would be good to stay in touch." if reason else "") + "\n\nBest,\nAda Lovelace")
    assert text.subject == "Great to meet you at PyData London"


def test_the_email_names_the_day_they_met_not_the_first_day_of_the_conference():
    devconf = SimpleNamespace(name="DevConf SF", starts_on=datetime.date(2026, 12, 6),
                              ends_on=datetime.date(2026, 12, 8))
    text = message.draft(SimpleNamespace(reason="send the slides"), SimpleNamespace(name="Jane Doe"), devconf,
                         "Ada Lovelace", met_on=datetime.date(2026, 12, 7))
    assert "It was great to meet you at DevConf SF on 7 December." in text.long
    unknown = message.draft(SimpleNamespace(reason="send the slides"), SimpleNamespace(name="Jane Doe"), devconf,
                            "Ada Lovelace")
    # Which of its days is not known: no day is named, rather than one that may be wrong.
    assert "\n\nGreat to meet you at DevConf SF.\n\n" in unknown.long and "DevConf SF on" not in unknown.long


def test_the_users_own_greeting_and_sign_off():
    text = draft("Share the slides.", greeting="Hello", sign_off="Cheers,")
    assert text.short.startswith("Hello Jane,\n") and text.short.endswith("\nCheers,\nAda")
    assert text.long.endswith("\n\nCheers,\nAda Lovelace")


def test_a_reason_that_is_a_link_is_sent_whole():
    url = "https://example.com/blog/2026/03/change-data-capture-with-debezium?utm_source=hallway#part-2"
    text = draft(url)
    assert text.short == (f"Hi Jane,\nGreat to meet you at PyData London. As promised, here is the link I mentioned: "
                          f"{url}\nBest,\nAda")
    assert url in text.long


def test_a_link_inside_a_reason_goes_last_and_is_never_cut():
    url = "https://example.com/" + "a" * 150
    text = draft(f"send the article {url}", event=SimpleNamespace(name="E" * 200, starts_on=PYDATA.starts_on))
    assert len(text.short) <= message.LIMIT and text.short.count(url) == 1


@pytest.mark.parametrize("name, hello", [("田中 太郎", "Hi 田中,"), ("Zoë Øde", "Hi Zoë,"), ("محمد علي", "Hi محمد,"),
                                         ("Ана", "Hi Ана,"), ("", "Hi,"), ("   ", "Hi,"), ("Dr. Jane Doe", "Hi Jane,"),
                                         ("Prof Ada", "Hi Ada,"), ("Dr.", "Hi Dr.,")])
def test_names_in_any_script_and_no_name_at_all(name, hello):
    assert draft("Share the slides.", name=name).short.startswith(hello + "\n")


def test_a_quick_events_name_is_never_named_to_anyone():
    """"Met on Mon 7 Dec" is how Hallway files a meeting with no event planned, not a place to name."""
    quick = SimpleNamespace(name="Met on Mon 7 Dec", starts_on=datetime.date(2026, 12, 7), quick=True)
    text = draft("thanks for the tip", event=quick)
    assert "Met on" not in text.short + text.long + text.subject
    assert text.short.startswith("Hi Jane,\nGreat to meet you. Thanks again for the tip.")
    assert text.subject == "Great to meet you"


def test_a_note_to_check_something_out_is_not_asked_of_them():
    assert "ask you about out" not in draft("Check out their startup").short


def test_no_event_and_no_sender_still_reads_well():
    text = draft("", name="", event=None, sender="")
    assert text.short == "Hi,\nGreat to meet you. It would be good to stay in touch.\nBest,"
    assert text.subject == "Great to meet you"


def test_the_short_version_fits_a_linkedin_note_even_at_every_fields_longest():
    text = draft("r" * 200, name="B" * 120, event=SimpleNamespace(name="C" * 200, starts_on=PYDATA.starts_on),
                 sender="D" * 80, greeting="G" * 40, sign_off="S" * 40)
    assert len(text.short) <= message.LIMIT
    assert text.short.startswith("G")


@settings(max_examples=300, deadline=None)
@given(reason=st.text(max_size=200), name=st.text(max_size=120), event=st.text(max_size=200),
       sender=st.text(max_size=80), greeting=st.text(max_size=40), sign_off=st.text(max_size=40))
def test_the_short_version_never_passes_300_characters(reason, name, event, sender, greeting, sign_off):
    text = draft(reason, name=name, event=SimpleNamespace(name=event, starts_on=PYDATA.starts_on), sender=sender,
                 greeting=greeting, sign_off=sign_off)
    assert 0 < len(text.short) <= message.LIMIT
    assert text.long and text.subject
