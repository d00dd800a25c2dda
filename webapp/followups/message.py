"""The follow-up message Hallway drafts for the user to read, change and send themselves.

It reads as one person writing to another: a greeting, where you met, one sentence built from
the reason for writing, and the user's own sign-off. Notes are the user's notes to self
("Runs their Postgres team") and never go into the message.

Two versions: a short one that always fits a LinkedIn invitation note (300 characters), and a
longer one, with a subject, for email.
"""

import re
from dataclasses import dataclass

LIMIT = 300  # LinkedIn's invitation note
DEFAULT_GREETING = "Hi"
DEFAULT_SIGN_OFF = "Best,"
URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_THEM = r"(?:them|him|her|you|over)?\s*"


@dataclass(frozen=True)
class Kind:
    """A common kind of reason: how to recognise it, and how to say it to the person."""

    name: str
    pattern: re.Pattern
    # Leading words dropped from the reason to get what it is about ("send them the slides" -> "the slides").
    lead: re.Pattern
    sentence: str  # with {what}
    without_what: str


def _lead(words):
    return re.compile(rf"^\s*(?:{words})\b\s*{_THEM}", re.I)


KINDS = [
    Kind("intro", re.compile(r"\b(intro|introduc\w*|connect (them|him|her) with|put (them|him|her) in touch)\b", re.I),
         _lead(r"make an intro|make the intro|do an intro|an intro|intro|introduce|introduction|connect|put"),
         "I'd be glad to make the introduction {what} we talked about: shall I?",
         "I'd be glad to make the introduction we talked about: shall I?"),
    Kind("job", re.compile(r"\b(job|jobs|role|roles|position|opening|vacanc\w*|hiring|referral|refer)\b", re.I),
         _lead(r"job lead|they are hiring for|they're hiring for|they are hiring|they're hiring|they are looking for|"
               r"they're looking for|hiring for|hiring|job|refer|referral for|ask about"),
         "I'd love to hear more about {what}.",
         "I'd love to hear more about the role you mentioned."),
    Kind("question", re.compile(r"(\?\s*$|^\s*(ask|question|find out|check(?!\s+out\b))\b)", re.I),
         _lead(r"ask about|ask|question about|question|find out about|find out|check about|check"),
         "I wanted to ask you about {what}.",
         "I had a question I meant to ask you."),
    Kind("thanks", re.compile(r"^\s*(thank|thanks|say thanks)\b", re.I),
         _lead(r"say thanks for|say thanks|thanks for|thank you for|thanks|thank"),
         "Thanks again {what}.",
         "Thanks again for your time."),
    Kind("meet", re.compile(r"\b(coffee|lunch|beer|drinks?|catch up|catch-up|call|meet up|meetup again)\b", re.I),
         _lead(r"grab|have|get|set up|arrange|plan|book"),
         "Would you be up for {what}?",
         "Would you be up for a coffee some time?"),
    Kind("send", re.compile(r"(^\s*(send|share|forward|email|mail|give|pass on)\b|https?://|www\.|\b(article|slides|"
                            r"deck|link|paper|post|repo|book|talk|video|recording|notes|doc)\b)", re.I),
         _lead(r"send over|send|share|forward|email|mail|give|pass on"),
         "As promised, here is {what} I mentioned.",
         "As promised, here is what I mentioned."),
]


ALREADY_SAID = re.compile(r",?\s*\b(?:as\s+|that\s+|which\s+)?(?:I|we|you|they)\s+(?:mentioned|talked about|discussed|"
                          r"spoke about|promised)\s*$", re.I)


def kind_of(reason):
    """The kind of reason ("send", "intro", "job", "question", "thanks", "meet"), or "other"."""
    reason = reason or ""
    if URL.fullmatch(reason.strip()):
        return "send"
    for kind in KINDS:
        if kind.pattern.search(reason):
            return kind.name
    return "other"


def _tidy(text):
    return re.sub(r"\s+", " ", text or "").strip().rstrip(".!;,").strip()


# The reason is a note about them; the message speaks to them: "the talk they gave" -> "the talk you gave".
TO_THEM = [(re.compile(rf"\b{word}\b", re.I), you) for word, you in (
    ("they're", "you're"), ("they've", "you've"), ("they'll", "you'll"), ("theirs", "yours"), ("their", "your"),
    ("themselves", "yourself"), ("them", "you"), ("they", "you"))]


def _to_them(text):
    for word, you in TO_THEM:
        text = word.sub(lambda m, you=you: you.capitalize() if m.group(0)[0].isupper() else you, text)
    return text


def _sentence(reason):
    """One sentence, in the user's voice, from the reason: "send the article on CDC" ->
    "As promised, here is the article on CDC I mentioned."; a sentence each for two reasons kept as one
    ("send the deck; coffee", when two records of a person were made one)."""
    parts = [part for part in re.split(r"\s*;\s*", reason or "") if _tidy(part)]
    if len(parts) > 1:
        return " ".join(dict.fromkeys(_sentence(part) for part in parts[:2]))
    reason = _tidy(reason)
    if not reason:
        return "It would be good to stay in touch."
    name = kind_of(reason)
    if name == "other":
        return f'I\'m following up as promised: "{reason}".'
    kind = next(k for k in KINDS if k.name == name)
    if name == "send" and URL.fullmatch(reason):
        return f"As promised, here is the link I mentioned: {reason}"
    what = kind.lead.sub("", reason, count=1).strip(" :-–")
    # Each sentence says "I mentioned" or "we talked about" itself: a reason that says it too would say it twice.
    what = _to_them(ALREADY_SAID.sub("", what).strip(" :-–"))
    reason = _to_them(reason)
    me = re.match(r"(me|us)\b\s*(?:(?:to|with|for)\b\s*)?(.*)", what, re.I)  # "introduce me to their CTO"
    if me and name == "intro":
        return (f"Would you still introduce {me.group(1).lower()} to {me.group(2)}, as we talked about?"
                if me.group(2) else "Would you still make the introduction we talked about?")
    if me and name == "job":  # "refer me": the role is what it is about
        what = me.group(2)
    if name == "question":
        if reason.endswith("?") and not re.match(r"(ask|question)\b", reason, re.I):
            return f"I wanted to ask you: {_lower_first(reason)}"
        if what.endswith("?") and not re.match(r"about\b", what, re.I):
            return f"I wanted to ask you: {_lower_first(what)}"
        what = what.rstrip("?").strip()
        what = re.sub(r"^(about|re:?)\s+", "", what, flags=re.I)
    if name == "thanks" and what and not what.lower().startswith("for "):
        what = "for " + what
    if name == "intro":
        what = re.sub(r"^(to|with)\s+", "", what, flags=re.I)
        what = f"to {what}" if what else ""
    if name == "job":
        what = re.sub(r"^(a|the)?\s*(job lead|lead)\s*[:-]?\s*", "", what, flags=re.I)
        what = re.sub(r"^(a|an)\s+", "the ", what, flags=re.I)
        if what and not re.match(r"(the|your|their)\b", what, re.I):
            what = "the " + what
        if what and not re.search(r"\b(role|position|job|opening|vacanc\w*|lead)\b", what, re.I):
            what = what.replace(" at ", " role at ", 1) if " at " in what else what + " role"
        if what and not re.search(r"\bmention", what, re.I):
            what += " you mentioned"
    if name == "meet":
        what = _lower_first(what)
        what = re.sub(r"^(a|the)\s+", "", what, flags=re.I)
        what = f"a {what}" if what and not what.lower().startswith(("a ", "an ")) else what
    if name == "send":
        if URL.search(what):  # "send the article https://..." reads best with the link last
            link = URL.search(what).group(0)
            rest = _tidy(URL.sub("", what)) or "the link"
            return f"As promised, here is {_article(rest)} I mentioned: {link}"
        what = _article(what)
        if _plural(what):
            return f"As promised, here are {what} I mentioned."
    if not what:
        return kind.without_what
    text = kind.sentence.format(what=what)
    return re.sub(r"\s+", " ", text).replace(" .", ".").replace(" ?", "?")


def _article(what):
    """ "slides" -> "the slides"; "my talk" stays as it is."""
    if not what:
        return what
    if re.match(r"(the|a|an|my|our|that|this|those|these|some)\b", what, re.I):
        return what
    return "the " + what


def _lower_first(text):
    """ "Coffee next month" -> "coffee next month"; "CFP" and "Sam" keep their capitals only when they are
    acronyms: a reason is usually typed starting with a capital that means nothing."""
    if len(text) > 1 and text[0].isupper() and text[1].islower() and text.split(" ", 1)[0].lower() in EVERYDAY:
        return text[0].lower() + text[1:]
    return text


EVERYDAY = {"coffee", "lunch", "beer", "drink", "drinks", "call", "catch", "a", "the", "what", "how", "why", "when",
            "where", "who", "which", "is", "are", "do", "does", "did", "can", "could", "would", "will", "have", "has"}


def _plural(what):
    head = re.split(r" (?:on|about|from|of|for|by|at|with|in) ", what, maxsplit=1)[0]
    last = re.sub(r"[^\w]", "", head.rsplit(" ", 1)[-1]).lower()
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


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
    greeting = _tidy(greeting) or DEFAULT_GREETING
    hello = f"{greeting} {name}," if name else f"{greeting},"
    sign_off = (sign_off or "").strip() or DEFAULT_SIGN_OFF
    sender = (sender_name or "").strip()
    # A quick event's name ("Met on Mon 7 Dec") is Hallway's, not a place to name to anyone.
    event = event if event and event.name.strip() and not getattr(event, "quick", False) else None
    where = f"Great to meet you at {event.name.strip()}." if event else "Great to meet you."
    said = _sentence(follow_up.reason)
    signature = f"{sign_off}\n{first_name(sender)}" if sender else sign_off

    short = _fit(hello, where, said, signature)
    long_where = where
    day = (met_on or _only_day(event)) if event else None
    if day:
        long_where = f"It was great to meet you at {event.name.strip()} on {day.strftime('%-d %B')}."
    closing = "It would be good to stay in touch." if said != "It would be good to stay in touch." else ""
    long = "\n\n".join(p for p in (hello, long_where, said, closing, f"{sign_off}\n{sender}" if sender else sign_off)
                       if p)
    subject = f"Great to meet you at {event.name.strip()}" if event else "Great to meet you"
    return Draft(short=short, long=long, subject=_shorten(subject, 120))


def _only_day(event):
    """The day of a one-day event; None for a conference: which of its days they met is not known, and a wrong
    one would tell them the user forgot."""
    ends_on = getattr(event, "ends_on", None)
    starts_on = getattr(event, "starts_on", None)
    return starts_on if not ends_on or ends_on == starts_on else None


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
