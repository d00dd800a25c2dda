"""From the reason a follow-up was noted for to one sentence to the person, in the user's voice.

A reason is a note the user wrote to themselves in a hurry: mostly something to do ("Send the slides",
"Call them on Monday", "Ask if they are hiring", "Intro to Sam"), sometimes a fact about the person ("She
wants my resume", "hiring a data engineer"), or a word or two ("coffee", "Kafka talk slides"). What it asks of
the user decides the sentence: its first words when they say what to do, else what it is about. A note no rule
can turn into a sentence gets one any message may carry (NEUTRAL): it is never quoted back to the person, who
would read the user's note about them. Nor is a sentence that came out as broken English (reads_well): the neutral
one says less, but nothing wrong. The rules for what to do are in to_do.py, the words said to the person ("her
talk" -> "your talk", "in 3 months" as a time) in wording.py.
"""

import re

from .english import speaks_english
from .to_do import HIRING, NEUTRAL, QUESTION, STAY_IN_TOUCH, URL, intro, job, referral, send, something_to_do
from .wording import (
    capital,
    is_when,
    lower_first,
    tidy,
    to_you,
    when_due_left_out,
    when_last,
    when_left_out,
    with_or_without_accents,
)

__all__ = ["URL", "kind_of", "read", "reads_well", "sentence"]

# Words a noun phrase does not start with but an order's second word often is: "Pitch the job", "Get her feedback".
_DETERMINER = re.compile(r"^\S+\s+(?:the|a|an|my|our|your|their|his|her|them|him|this|that|these|those|some)\b",
                         re.I)
# What the user can send when they are asked for it: "wants my resume", "asked for the slides".
_SENDABLE = re.compile(r"^my\b|\b(?:article|slides|deck|link|paper|post|repo|book|video|recording|notes|doc|docs|"
                       r"cv|resume|résumé|portfolio|details|number|code|template|list|guide|contact)\b", re.I)
_SEND_WORDS = re.compile(r"\b(?:article|slides|deck|link|paper|post|repo|book|video|recording|notes|doc|docs)\b", re.I)
_JOB_WORDS = re.compile(rf"\b(?:job|jobs|role|roles|position|opening|vacanc\w*|{HIRING}|referral)\b", re.I)


# --- A fact about them -----------------------------------------------------------------------------------------

_THEY = re.compile(r"^(?:she|he|they)\b\s*", re.I)
_SAID = (r"(?:'s|’s|is|'re|’re|are|was|were|wants|want|needs|need|'d like|’d like|would like|"
                           r"can|could|will|'ll|’ll|might|may|"
                           r"asked|offered|promised|said|mentioned|has|works|runs|leads|loves|likes|knows|builds|"
                           r"uses|organi[sz]es|plans|teaches|writes|speaks|lives|hires|moved|left|joined|founded|"
                           r"built|started|looking|hiring|interested)\b")
_SAID_OF_THEM = re.compile(rf"^{_SAID}", re.I)


def _about_them(reason):
    """The sentence for a fact about the person ("She wants my resume", "hiring a data engineer"), or None when
    the note is not one."""
    said = _THEY.sub("", reason, count=1)
    if said == reason and not _SAID_OF_THEM.match(reason):
        return None
    said = re.sub(r"^(?:'s|’s)\s*", "is ", said)
    said = re.sub(r"^(?:'re|’re)\s*", "are ", said)
    said = re.sub(r"^(?:'d|’d)\s*", "would ", said)
    said = re.sub(r"^(?:is|are)\s+(?:still\s+)?", "", said, flags=re.I)
    looking = re.match(r"looking for\s+(.+)", said, re.I)
    if looking:
        return "question", f"Are you still looking for {to_you(looking.group(1))}?"
    if re.match(HIRING, said, re.I) or re.match(r"job[- ]?hunt", said, re.I):
        return _job(said)
    interested = re.match(r"interested in\s+(.+)", said, re.I)
    if interested:
        return "question", f"Are you still interested in {to_you(interested.group(1))}?"
    asked_to = re.match(r"(?:asked|wants|wanted)\s+me\s+to\s+(.+)", said, re.I)
    if asked_to:
        task = asked_to.group(1)
        sent = re.match(r"(?:send|share|forward)\b(?:\s+(?:them|him|her))?\s*(.*)", task, re.I)
        if sent:
            return "send", send(sent.group(1), asked=True)
        return something_to_do(task) or ("other", NEUTRAL)
    could = re.match(r"(?:can|could|will|'ll|’ll|might|may)\s+((?:intro|introduce|refer|connect)\s+me\b.*)", said, re.I)
    if could:  # "she can intro me to her CTO": what they offered, asked after
        return something_to_do(could.group(1)) or ("other", NEUTRAL)
    offered = re.match(r"(?:offered to|promised to|happy to|said (?:she|he|they)(?:'d|’d| would))\s+(.+)", said, re.I)
    if offered:
        return "thanks", f"Thanks again for offering to {to_you(offered.group(1))}."
    wants = re.match(r"(?:wants|want|would like|asked for|asked me for|requested)\s+(.+)", said, re.I)
    if wants:
        what = wants.group(1)
        if re.match(r"to\b", what, re.I):
            return "question", f"Would you still like {to_you(what)}?"
        if re.match(r"(?:an?\s+)?(?:intro|introduction)\b", what, re.I):
            return "intro", intro(re.sub(r"^(?:an?\s+)?(?:intro|introduction)\b\s*", "", what, flags=re.I))
        if re.search(r"\breferral\b", what, re.I):
            return "job", referral(re.sub(r"^.*?\breferral\b\s*", "", what, flags=re.I))
        if _SENDABLE.search(what):
            return "send", send(what, asked=True)
    return "other", NEUTRAL


def _job(reason):
    said = job(reason)
    return ("job", said) if said else ("other", NEUTRAL)


# --- A question, or what it is about -------------------------------------------------------------------------

def _question(reason):
    """A note asked as a question (its question mark taken off): a question to them, or a thought."""
    if QUESTION.match(reason):
        return "question", f"I wanted to ask you: {lower_first(to_you(reason))}?"
    return "other", NEUTRAL  # "mentor?", "speaker for our meetup?": a thought, not a question to them


def _what_it_is_about(reason):
    if _DETERMINER.match(reason):  # "Pitch the job at Acme": something to do that no rule knows
        return "other", NEUTRAL
    if _JOB_WORDS.search(reason):
        return _job(reason)
    if _SEND_WORDS.search(reason) or URL.search(reason):
        return "send", send(reason)
    return "other", NEUTRAL


# Words after which a name is the person the note is about: "send Will the deck", "ask June about Kafka".
_TAKES_SOMEONE = (r"(?:send|share|forward|e-?mail|mail|message|ping|dm|text|call|phone|ring|ask|thank|tell|remind|"
                  r"invite|meet|see|introduce|intro|help|show|refer|congratulate|contact|give|pay|connect|add|"
                  r"talk to|talk with|speak to|speak with|chat to|chat with|write to|reach out to|get back to|"
                  r"catch up with|check in with|follow up with|get in touch with|"
                  r"touch base with)")


def _named_as_them(reason, name):
    """The person's own name in a note about them said as "them": "send Zoë the article" is "send them the
    article", "Zoe's talk" is "their talk", "Jane is hiring" is "they are". Their full name anywhere, with or
    without its accents; their first name alone only where it can only be them (after what to do with someone,
    at the start of what is said of them, or written as a name after "to" or "with"), as a first name is often a
    word too: "coffee in June", "will call later", "talk about Rust"."""
    words = name.split()
    if not words or not reason:
        return reason

    def spelled(name):  # one Latin letter is a word ("a", "I") or an initial; one Chinese character, a name
        return with_or_without_accents(name) if len(name) > 1 or not name.isascii() else ""

    # A whole name may be written without its space or the other way round ("王芳", "Li Zoë"); in a script
    # other than Latin, the name that goes first is often the family name, so either word alone is them.
    full_name = "|".join(spelled(between.join(order)) for order in (words, words[::-1]) for between in (" ", ""))
    first_name = spelled(words[0])
    if first_name and len(words) > 1 and not re.search(r"[a-zA-Z\u00C0-\u024F]", words[-1]):
        first_name += "|" + spelled(words[-1])
    if not first_name:
        return reason
    either = f"(?i:{full_name}|{first_name})"
    end = r"(?![\w'’])"
    reason = re.sub(rf"(?<![\w'’]){either}(?:'s|’s|'|’)(?=\s|$)", "their", reason)
    reason = re.sub(rf"^(?i:{full_name}){end}(?=\s+\w)", "they", reason)  # "Jane Doe runs their data team"
    reason = re.sub(rf"^(?i:{first_name}){end}(?=\s+{_SAID})", "they", reason, flags=re.I)  # "Jane is hiring"
    reason = re.sub(rf"(?<![\w'’])(?i:{full_name}){end}", "them", reason)
    reason = re.sub(rf"\b({_TAKES_SOMEONE}\s+)(?:{first_name}){end}", r"\1them", reason, flags=re.I)

    def as_a_name(m):  # "to Jane", "with June"; "to june", "to June" when it is when, stay
        said = m.group(2)
        to_a_time = m.group(1).lower().startswith("to") and is_when(said)
        return m.group(1) + ("them" if said[:1].isupper() and not to_a_time else said)

    return re.sub(rf"\b((?i:to|with)\s+)({first_name}){end}", as_a_name, reason, flags=re.I)


# What no sentence a person writes says: a word twice in a row, "the" before "my", a name with "the" before it,
# someone spoken of rather than to, an order where a thing goes, "about" twice around a word ("about team about").
# A rule that made one of these met a note it did not foresee: the neutral sentence says less, but nothing wrong.
_READS_BADLY = [re.compile(pattern, flags) for pattern, flags in (
    (r"\b(\w+) \1\b", re.I),
    (r"\b(?:the|a|an) (?:the|a|an|my|your|our|their|his|her|you|me|I|it|to|for|about|in|on|again|more)\b", re.I),
    (r"\b(?:she|he|they|them|their|theirs|his|him|hers|himself|herself|themselves)\b", re.I),
    (r"\b(?:the|a|an) (?:apply|send|ask|introduce|refer|ping)\b", re.I),
    (r"\b(?:the|a|an) [A-Z][\w-]*(?:'s|’s|'|’)(?=\s)", 0),
    (r"\b(?:about|on|up for) (?:in|on|again|more|back|to|for)\b", re.I),
    (r"\b(?:if|whether) (?:still|hiring|looking|interested)\b", re.I),
    (r"\babout (?:(?:and|or) )?[\w'’-]+ about\b|\babout (?:and|or)\b", re.I),
)]


def reads_well(said):
    return not any(pattern.search(said) for pattern in _READS_BADLY)


# What a note adds for the user alone: a plan of their own after a comma ("send the deck, will call later"), or a
# hope ("send the article I hope").
_TO_SELF = re.compile(r"(?:,\s*(?:will|I'll|I’ll|I will|then I)\b.*|,?\s+(?:I hope|hopefully))$", re.I)
# "Please" in a note to oneself asks nothing of the person: "slides pls".
_PLEASE = re.compile(r"^(?:please|pls|plz)\b[\s,:]*|[\s,]*\b(?:please|pls|plz)$", re.I)
# A fact about them after what to do, the user's reminder of why: "coffee, she is moving to Berlin".
_THEN_OF_THEM = re.compile(rf",\s*(?:she|he|they)\b\s*{_SAID}", re.I)


def _what_to_do(reason):
    """The sentence for what the note says to do, without a fact about them it goes on to: worded with it, the
    fact would be asked back to them ("Would you be up for a coffee, you are moving to Berlin?")."""
    then = _THEN_OF_THEM.search(reason)
    return (then and something_to_do(reason[:then.start()])) or something_to_do(reason)


def read(reason, name=""):
    """(kind, sentence) for one reason: the kind of thing it asks ("send", "intro", "job", "question", "thanks",
    "meet", ..., "other") and the sentence to the person. name: the person's, said as "you" where the note
    names them."""
    reason = tidy(reason)
    # A question mark ends a question to them, or a thought ("coffee?", "intro to Sam?"): the sentence made of
    # either has its own punctuation, so it goes before the words are read.
    asked = reason.endswith("?")
    reason = reason.rstrip("?!. ")
    reason = when_due_left_out(when_last(_named_as_them(_PLEASE.sub("", _TO_SELF.sub("", reason)), name or "")))
    if not reason:
        return "other", STAY_IN_TOUCH
    if URL.fullmatch(reason):
        return "send", f"As promised, here is the link I mentioned: {reason}"
    plain = when_left_out(reason)  # a fact or a thing named, with when to write: "hiring a data engineer in Q1"
    kind, said = (_what_to_do(reason) or (asked and _question(reason)) or _about_them(plain)
                  or _what_it_is_about(plain))
    said = capital(re.sub(r"\s+", " ", said).replace(" .", ".").replace(" ?", "?"))
    if reads_well(URL.sub("", said)) and speaks_english(URL.sub("", reason)):
        return kind, said
    return "other", NEUTRAL


def kind_of(reason, name=""):
    """The kind of reason ("send", "intro", "job", "question", "thanks", "meet", ...), or "other"."""
    return read(reason, name)[0]


def sentence(reason, name=""):
    """One sentence, in the user's voice, from the reason: "send the article on CDC" ->
    "As promised, here is the article on CDC I mentioned."; a sentence each for two reasons kept as one
    ("send the deck; coffee", when two records of a person were made one). name: the person's."""
    parts = [part for part in re.split(r"\s*;\s*", reason or "") if tidy(part)]
    if len(parts) > 1:
        return " ".join(dict.fromkeys(read(part, name)[1] for part in parts[:2]))
    return read(reason, name)[1]
