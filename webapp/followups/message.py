"""The follow-up message Hallway drafts for the user to read, change and send themselves.

It reads as one person writing to another: a greeting, where you met, one sentence built from
the reason for writing (reasons.py), and the user's own sign-off. Notes are the user's notes to self
("Runs their Postgres team") and never go into the message.

Two versions: a short one that always fits a LinkedIn invitation note (300 characters), and a
longer one, with a subject, for email.
"""

from dataclasses import dataclass

from .reasons import URL, sentence
from .wording import tidy

LIMIT = 300  # LinkedIn's invitation note
DEFAULT_GREETING = "Hi"
DEFAULT_SIGN_OFF = "Best,"
TITLES = {"dr", "prof", "mr", "mrs", "ms", "mx", "miss", "sir", "dame", "dr.", "prof.", "mr.", "mrs.", "ms.", "mx."}


def first_name(full_name):
    """What to call them: the first word of the name (after a title: "Dr. Jane Doe" is Jane), or the whole name
    when it is one word."""
    words = (full_name or "").split()
    while len(words) > 1 and words[0].lower() in TITLES:
        words = words[1:]
    return words[0] if words else ""


@dataclass(frozen=True)
class Draft:
    short: str  # fits a LinkedIn invitation note
    long: str  # for email
    subject: str


def _shorten(text, room):
    """Cut text on a word boundary so it fits room characters, with an ellipsis."""
    if len(text) <= room:
        return text
    cut = text[: max(0, room - 1)].rsplit(" ", 1)[0].rstrip(" ,:;-")
    return cut + "…" if cut else ""


def draft(follow_up, person, event, sender_name, greeting="", sign_off="", met_on=None):
    """The message for one follow-up, in a short and a long version, with a subject for email. met_on: the day
    they met, when known; the email names it (a one-day event's day otherwise)."""
    name = first_name(person.name)
    greeting = tidy(greeting) or DEFAULT_GREETING
    hello = f"{greeting} {name}," if name else f"{greeting},"
    sender = (sender_name or "").strip()
    sign_off = _signing_off(sign_off, sender)
    # A quick event's name ("Met on Mon 7 Dec") is Hallway's, not a place to name to anyone.
    event = event if event and event.name.strip() and not getattr(event, "quick", False) else None
    where = f"Great to meet you at {event.name.strip()}." if event else "Great to meet you."
    said = sentence(follow_up.reason, person.name)
    signature = "\n".join(p for p in (sign_off, first_name(sender)) if p)

    short = _fit(hello, where, said, signature)
    long_where = where
    day = (met_on or _only_day(event)) if event else None
    if day:
        long_where = f"It was great to meet you at {event.name.strip()} on {day.strftime('%-d %B')}."
    closing = "It would be good to stay in touch." if said != "It would be good to stay in touch." else ""
    long = "\n\n".join(p for p in (hello, long_where, said, closing, "\n".join(p for p in (sign_off, sender) if p))
                       if p)
    subject = f"Great to meet you at {event.name.strip()}" if event else "Great to meet you"
    return Draft(short=short, long=long, subject=_shorten(subject, 120))


def _signing_off(sign_off, sender):
    """The user's sign-off ("Best,"), or none when it waits for a name the profile does not have: a message
    ending "Best," reads as cut off. One that needs no name after it ("Cheers, Ada") stays."""
    sign_off = (sign_off or "").strip() or DEFAULT_SIGN_OFF
    return sign_off if sender or not sign_off.endswith(",") else ""


def _only_day(event):
    """The day of a one-day event (an evening running past midnight is one: Event.last_day_listed); None for a
    conference: which of its days they met is not known, and a wrong one would tell them the user forgot."""
    starts_on = getattr(event, "starts_on", None)
    last_day = getattr(event, "last_day_listed", None) or getattr(event, "ends_on", None)
    return starts_on if not last_day or last_day == starts_on else None


def _fit(hello, where, said, signature):
    """The short version, made to fit LIMIT: the place goes first, then the sentence is shortened."""
    def join(*parts):
        return "\n".join(p for p in parts if p)

    text = join(hello, f"{where} {said}", signature)
    if len(text) <= LIMIT:
        return text
    text = join(hello, f"Great to meet you. {said}", signature)
    if len(text) <= LIMIT:
        return text
    hello = _shorten(hello, 60)
    signature = _shorten(signature, 60)
    fixed = len(join(hello, "Great to meet you. ", signature))
    link = URL.search(said)
    if link and len(link.group(0)) < LIMIT - fixed - 10:  # a link is never cut: it would lead nowhere
        said = _shorten(said[: link.start()].rstrip(), LIMIT - fixed - len(link.group(0)) - 1) + " " + link.group(0)
    else:
        said = _shorten(said, LIMIT - fixed)
    return join(hello, f"Great to meet you. {said}", signature)[:LIMIT]
