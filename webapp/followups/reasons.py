"""From the reason a follow-up was noted for to one sentence to the person, in the user's voice.

A reason is a note the user wrote to themselves in a hurry: mostly something to do ("Send the slides",
"Call them on Monday", "Ask if they are hiring", "Intro to Sam"), sometimes a fact about the person ("She
wants my resume", "hiring a data engineer"), or a word or two ("coffee", "Kafka talk slides"). What it asks of
the user decides the sentence: its first words when they say what to do, else what it is about. A note no rule
can turn into a sentence gets one any message may carry (NEUTRAL): it is never quoted back to the person, who
would read the user's note about them.
"""

import re

from .wording import NOT_THEIRS, capital, is_plural, lower_first, the_thing, tidy, to_you

URL = re.compile(r"https?://\S+|www\.\S+", re.I)
NEUTRAL = "I really enjoyed our conversation."
STAY_IN_TOUCH = "It would be good to stay in touch."

# A pronoun for the person right after what to do with them: "call them", "send her the deck", "ask him about".
_THEM = rf"(?:\s+(?:them|him|you)\b|\s+her\b(?=\s*$|\s+{NOT_THEIRS}\b))?\s*"
# Words a noun phrase does not start with but an order's second word often is: "Pitch the job", "Get her feedback".
_DETERMINER = re.compile(r"^\S+\s+(?:the|a|an|my|our|your|their|his|her|them|him|this|that|these|those|some)\b",
                         re.I)
_QUESTION = re.compile(r"^(?:how|what|when|where|why|who|which|whether|is|are|was|were|do|does|did|can|could|"
                       r"would|will|should|has|have)\b", re.I)
ALREADY_SAID = re.compile(r",?\s*\b(?:as\s+|that\s+|which\s+)?(?:I|we|you|they)\s+(?:mentioned|talked about|discussed|"
                          r"spoke about|promised)\s*$", re.I)
_MEETING = (r"(?:a\s+|an\s+|the\s+|some\s+)?(?:coffee|lunch|breakfast|dinner|beers?|drinks?|call|chat|video call|"
            r"meeting|demo|catch[- ]up|walk|pairing session|1:1|one-on-one)\b")
_MEALS = ("lunch", "breakfast", "dinner")  # "up for lunch", not "a lunch"
# What the user can send when they are asked for it: "wants my resume", "asked for the slides".
_SENDABLE = re.compile(r"^my\b|\b(?:article|slides|deck|link|paper|post|repo|book|video|recording|notes|doc|docs|"
                       r"cv|resume|résumé|portfolio|details|number|code|template|list|guide|contact)\b", re.I)
_SEND_WORDS = re.compile(r"\b(?:article|slides|deck|link|paper|post|repo|book|video|recording|notes|doc|docs)\b", re.I)
_JOB_WORDS = re.compile(r"\b(?:job|jobs|role|roles|position|opening|vacanc\w*|hiring|referral)\b", re.I)


def _said_once(what):
    """Each sentence says "I mentioned" or "we talked about" itself: a reason that says it too would say it twice."""
    return ALREADY_SAID.sub("", what).strip(" :-–")


def _topic(rest, words=r"about|re\b:?|regarding"):
    """What follows "about" ("email re: the contract" -> "the contract"), or None."""
    m = re.match(rf"(?:{words})\s*(.+)", rest, re.I)
    return to_you(_said_once(m.group(1))) if m else None


# --- Something to do, by its first words ---------------------------------------------------------------------

def _send(rest, asked=False):
    rest = re.sub(r"^(?:over|along|across)\b\s*", "", rest, flags=re.I)
    if not rest:
        return "As you asked, here it is." if asked else "As promised, here is what I mentioned."
    about = _topic(rest)
    if about:
        return f"I wanted to follow up on {about}."
    rest = to_you(_said_once(rest))
    link = URL.search(rest)
    if link:  # "send the article https://..." reads best with the link last
        what = the_thing(tidy(URL.sub("", rest))) or "the link"
        return f"As promised, here is {what} I mentioned: {link.group(0)}"
    what = the_thing(rest)
    verb = "are" if is_plural(what) else "is"
    return f"As you asked, here {verb} {what}." if asked else f"As promised, here {verb} {what} I mentioned."


def _get_in_touch(rest):
    about = _topic(rest)
    return f"I wanted to follow up on {about}." if about else None


def _email(rest):
    return _get_in_touch(rest) or (_send(rest) if rest else None)


def _follow_up(rest):
    about = _topic(re.sub(r"^with\b(?:\s+(?:them|him|her)\b)?\s*", "", rest, flags=re.I), r"about|re\b:?|regarding|on")
    return f"I wanted to follow up on {about}." if about else None


def _call(rest):
    rest = to_you(re.sub(r"^(?:re\b:?|regarding)\s*", "about ", rest, flags=re.I))
    return f"Would you be up for a call {rest}?" if rest else "Would you be up for a call?"


def _meet_over(what):
    """ "coffee next month" -> "Would you be up for a coffee next month?"; "drinks" and "lunch" take no "a"."""
    what = re.sub(r"\s*\bwith (?:them|him|her)\b", "", what, flags=re.I)  # it is them the message asks
    what = re.sub(r"^(?:a|an|the|some)\s+", "", lower_first(to_you(what)), flags=re.I)
    what = re.sub(r"^catch[- ]up\b", "catch-up", what, flags=re.I)
    first = what.split(" ", 1)[0].lower()
    if not (first.endswith("s") or first in _MEALS):
        what = f"a {what}"
    return f"Would you be up for {what}?"


def _arrange(rest):
    rest = re.sub(r"^with\s+(?:them|him|her)\b\s*", "", rest, flags=re.I)
    return _meet_over(rest) if re.match(_MEETING, rest, re.I) else None


def _meet(rest):
    return f"Would you be up for meeting {to_you(rest)}?" if rest else "Would you be up for meeting again?"


def _ask(rest):
    rest = rest.rstrip("?").strip()
    if re.match(r"(?:if|whether|when|how|what|who|why|where|which)\b", rest, re.I):
        return f"I wanted to ask {to_you(rest)}."
    about = _topic(rest)
    if about:
        return f"I wanted to ask you about {about}."
    if _QUESTION.match(rest):  # "ask: is the CFP still open?"
        return f"I wanted to ask you: {lower_first(to_you(rest))}?"
    if re.match(r"for\b", rest, re.I):
        return f"I wanted to ask you {to_you(rest)}."
    if re.match(r"to\b", rest, re.I):
        return f"I wanted to ask if you could {to_you(rest[2:].strip())}."
    if re.match(r"(?!(?:them|him|her)\b)[A-Z][\w'-]*\s+(?:for|about|to|if|whether)\b", rest):
        return None  # "Ask Sam for the slides": a note about someone else, nothing to say to this person
    if rest:
        return f"I wanted to ask you about {to_you(rest)}."
    return "I had a question I meant to ask you."


def _look_at(rest):
    return f"I'll have a look at {to_you(rest)}." if rest else None


def _talk(rest):
    rest = re.sub(r"^(?:more\s+)?(?:with\s+(?:them|him|her)\s+)?(?:more\s+)?(?:about|on|over|re\b:?|regarding)?\s*",
                  "", rest, flags=re.I)
    return f"I'd love to talk more about {to_you(_said_once(rest))}." if rest else "I'd love to talk more."


# After "invite them to": what they would do there ("speak at our meetup"), else a place ("to our meetup").
_INVITED_TO = r"(?:speak|talk|join|present|give|come|attend|visit|be|write|review|mentor|contribute|demo|help|try)\b"


def _invite(rest):
    if re.match(rf"to\s+{_INVITED_TO}", rest, re.I):
        return f"Would you like {to_you(rest)}?"
    if re.match(r"to\b", rest, re.I) and rest[2:].strip():
        return f"Would you like to come {to_you(rest)}?"
    if re.match(r"for\b", rest, re.I):
        return _meet_over(rest[3:].strip())
    return None


def _remind(rest):
    if re.match(r"(?:about|of|to)\b\s*\S", rest, re.I):
        return f"Just a friendly reminder {to_you(rest)}."
    return None


def _show(rest):
    return f"I'd be glad to show you {to_you(rest)}." if rest else None


def _demo(rest):
    return f"I'd be glad to give you a demo of {to_you(rest)}." if rest else "I'd be glad to give you a demo."


def _walk_through(rest):
    return f"I'd be glad to walk you through {to_you(rest)}." if rest else None


def _help(rest):
    if re.match(r"(?:with|on)\b", rest, re.I):
        return f"I'd be glad to help {to_you(rest)}."
    return f"I'd be glad to help you {to_you(rest)}." if rest else "I'd be glad to help."


def _refer(rest):
    if re.match(r"me\b", rest, re.I):  # "refer me": the role is what it is about
        return _job(rest)
    place = re.match(r"to\s+(.+)", rest, re.I)
    return f"I'd be glad to refer you to {to_you(place.group(1))}." if place else None


def _thanks(rest):
    what = to_you(_said_once(rest))
    if not what:
        return "Thanks again for your time."
    return f"Thanks again {what if what.lower().startswith('for ') else 'for ' + what}."


def _intro(rest):
    what = to_you(_said_once(rest))
    me = re.match(r"(me|us)\b\s*(?:(?:to|with|for)\b\s*)?(.*)", what, re.I)  # "introduce me to their CTO"
    if me:
        return (f"Would you still introduce {me.group(1).lower()} to {me.group(2)}, as we talked about?"
                if me.group(2) else "Would you still make the introduction we talked about?")
    what = re.sub(r"^(?:to|with)\s+", "", what, flags=re.I)
    if not what:
        return "I'd be glad to make the introduction we talked about: shall I?"
    return f"I'd be glad to make the introduction to {what} we talked about: shall I?"


_JOB_LEAD = re.compile(r"^\s*(?:job lead|they are hiring for|they're hiring for|they are hiring|they're hiring|"
                       r"they are looking for|they're looking for|is hiring for|is hiring|hiring for|hiring|job|"
                       r"refer|referral for)\b\s*(?:them|him|her|you|over)?\s*", re.I)


def _job(reason):
    """ "hiring a data engineer" -> "I'd love to hear more about the data engineer role you mentioned." """
    what = to_you(_said_once(_JOB_LEAD.sub("", reason, count=1).strip(" :-–")))
    what = re.sub(r"^(?:me|us)\b\s*(?:(?:to|with|for)\b\s*)?", "", what, flags=re.I)
    what = re.sub(r"^(a|the)?\s*(job lead|lead)\s*[:-]?\s*", "", what, flags=re.I)
    what = re.sub(r"^(a|an)\s+", "the ", what, flags=re.I)
    if not what:
        return "I'd love to hear more about the role you mentioned."
    if not re.match(r"(the|your)\b", what, re.I):
        what = "the " + what
    if not re.search(r"\b(role|position|job|opening|vacanc\w*|lead)\b", what, re.I):
        what = what.replace(" at ", " role at ", 1) if " at " in what else what + " role"
    if not re.search(r"\bmention", what, re.I):
        what += " you mentioned"
    return f"I'd love to hear more about {what}."


def _stay_in_touch(rest):
    return STAY_IN_TOUCH


# What to do, by the words it starts with, and the sentence it makes (None: no good sentence, NEUTRAL is said).
# In order: "connect them with" is an intro before "connect" is keeping in touch, "check out" is looking at
# something before "check" is asking.
TO_DO = [
    ("intro", r"make an intro|make the intro|do an intro|an intro|intro|introduce|introduction|"
              r"connect (?:them|him|her) with|put (?:them|him|her) in touch with", _intro),
    ("thanks", r"say thanks|thanks|thank you|thank", _thanks),
    ("send", r"send|share|forward|pass on|recommend", _send),
    ("send", r"e-?mail|mail", _email),
    ("follow up", r"follow up|follow-up", _follow_up),
    ("follow up", r"message|ping|dm|text|write to|write|reach out to|reach out|contact|get back to|"
                  r"get in touch with|get in touch", _get_in_touch),
    ("meet", r"call|phone|ring", _call),
    ("meet", r"grab|get|have|set up|schedule|arrange|book|plan|organi[sz]e|invite (?:them |him |her )?for", _arrange),
    ("meet", r"meet", _meet),
    ("look", r"check out|look at|have a look at|take a look at|look into|review|read|try out|try|watch|listen to|"
             r"test|star", _look_at),
    ("question", r"ask|check|find out|confirm|see(?= if| whether)", _ask),
    ("talk", r"talk|chat|discuss|brainstorm|go over|dig into", _talk),
    ("invite", r"invite", _invite),
    ("remind", r"remind", _remind),
    ("show", r"show", _show),
    ("show", r"demo", _demo),
    ("show", r"walk (?:them|him|her) through", _walk_through),
    ("help", r"help", _help),
    ("job", r"refer", _refer),
    ("stay in touch", r"connect|add|follow|stay in touch|keep in touch", _stay_in_touch),
]
_TO_DO = [(kind, re.compile(rf"^(?:{words})\b{_THEM}", re.I), say) for kind, words, say in TO_DO]
# A note that starts with what is to be had, not done: "Coffee next month", "Drinks", "catch up after".
_MEETING_FIRST = re.compile(rf"^{_MEETING}", re.I)


def _something_to_do(reason):
    if _MEETING_FIRST.match(reason) and not re.match(r"(?:call|demo|walk|chat)\b", reason, re.I):
        return "meet", _meet_over(reason)
    for kind, first_words, say in _TO_DO:
        m = first_words.match(reason)
        if m:
            said = say(reason[m.end():].strip(" :-–"))
            return (kind, said) if said else ("other", NEUTRAL)
    return None


# --- A fact about them -----------------------------------------------------------------------------------------

_THEY = re.compile(r"^(?:she|he|they)\b\s*", re.I)
_SAID_OF_THEM = re.compile(r"^(?:'s|’s|is|'re|’re|are|was|were|wants|want|needs|need|'d like|’d like|would like|"
                           r"asked|offered|promised|said|mentioned|has|works|runs|leads|loves|likes|knows|builds|"
                           r"uses|organi[sz]es|plans|teaches|writes|speaks|lives|hires|moved|left|joined|founded|"
                           r"built|started|looking|hiring|interested)\b", re.I)


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
    if re.match(r"hiring\b", said, re.I):
        return "job", _job(said)
    interested = re.match(r"interested in\s+(.+)", said, re.I)
    if interested:
        return "question", f"Are you still interested in {to_you(interested.group(1))}?"
    asked_to = re.match(r"(?:asked|wants|wanted)\s+me\s+to\s+(.+)", said, re.I)
    if asked_to:
        task = asked_to.group(1)
        sent = re.match(r"(?:send|share|forward)\b(?:\s+(?:them|him|her))?\s*(.*)", task, re.I)
        if sent:
            return "send", _send(sent.group(1), asked=True)
        return _something_to_do(task) or ("other", NEUTRAL)
    offered = re.match(r"(?:offered to|promised to|happy to|said (?:she|he|they)(?:'d|’d| would))\s+(.+)", said, re.I)
    if offered:
        return "thanks", f"Thanks again for offering to {to_you(offered.group(1))}."
    wants = re.match(r"(?:wants|want|would like|asked for|asked me for|requested)\s+(.+)", said, re.I)
    if wants:
        what = wants.group(1)
        if re.match(r"to\b", what, re.I):
            return "question", f"Would you still like {to_you(what)}?"
        if re.match(r"(?:an?\s+)?(?:intro|introduction)\b", what, re.I):
            return "intro", _intro(re.sub(r"^(?:an?\s+)?(?:intro|introduction)\b\s*", "", what, flags=re.I))
        if _SENDABLE.search(what):
            return "send", _send(what, asked=True)
    return "other", NEUTRAL


# --- A question, or what it is about -------------------------------------------------------------------------

def _question(reason):
    if not reason.endswith("?"):
        return None
    if _QUESTION.match(reason):
        return "question", f"I wanted to ask you: {lower_first(to_you(reason))}"
    return "other", NEUTRAL  # "mentor?", "speaker for our meetup?": a thought, not a question to them


def _what_it_is_about(reason):
    if _DETERMINER.match(reason):  # "Pitch the job at Acme": something to do that no rule knows
        return "other", NEUTRAL
    if _JOB_WORDS.search(reason):
        return "job", _job(reason)
    if _SEND_WORDS.search(reason) or URL.search(reason):
        return "send", _send(reason)
    return "other", NEUTRAL


def read(reason):
    """(kind, sentence) for one reason: the kind of thing it asks ("send", "intro", "job", "question", "thanks",
    "meet", ..., "other") and the sentence to the person."""
    reason = tidy(reason)
    if not reason:
        return "other", STAY_IN_TOUCH
    if URL.fullmatch(reason):
        return "send", f"As promised, here is the link I mentioned: {reason}"
    kind, said = _something_to_do(reason) or _question(reason) or _about_them(reason) or _what_it_is_about(reason)
    return kind, capital(re.sub(r"\s+", " ", said).replace(" .", ".").replace(" ?", "?"))


def kind_of(reason):
    """The kind of reason ("send", "intro", "job", "question", "thanks", "meet", ...), or "other"."""
    return read(reason)[0]


def sentence(reason):
    """One sentence, in the user's voice, from the reason: "send the article on CDC" ->
    "As promised, here is the article on CDC I mentioned."; a sentence each for two reasons kept as one
    ("send the deck; coffee", when two records of a person were made one)."""
    parts = [part for part in re.split(r"\s*;\s*", reason or "") if tidy(part)]
    if len(parts) > 1:
        return " ".join(dict.fromkeys(read(part)[1] for part in parts[:2]))
    return read(reason)[1]
