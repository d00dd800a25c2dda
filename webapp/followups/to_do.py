"""The sentence for a note that says what to do, by its first words: "Send the slides" -> "As promised, here are
the slides I mentioned.", "check in in 3 months" -> "I wanted to check in and see how things are going."
"""

import re

from .wording import (
    NOT_THEIRS,
    is_owned,
    is_plural,
    is_when,
    lower_first,
    the_thing,
    tidy,
    to_you,
    when_left_out,
    without_when,
)

URL = re.compile(r"https?://\S+|www\.\S+", re.I)
NEUTRAL = "I really enjoyed our conversation."
STAY_IN_TOUCH = "It would be good to stay in touch."
CHECK_IN = "I wanted to check in and see how things are going."

# A pronoun for the person right after what to do with them: "call them", "send her the deck", "ask him about".
_THEM = rf"(?:\s+(?:them|him|you)\b|\s+her\b(?=\s*$|\s+{NOT_THEIRS}\b))?\s*"
QUESTION = re.compile(r"^(?:how|what|when|where|why|who|which|whether|is|are|was|were|do|does|did|can|could|"
                      r"would|will|should|has|have)\b", re.I)
ALREADY_SAID = re.compile(r",?\s*\b(?:as\s+|that\s+|which\s+)?(?:I|we|you|they)\s+(?:mentioned|talked about|discussed|"
                          r"spoke about|promised)\s*$", re.I)
_MEETING = (r"(?:a\s+|an\s+|the\s+|some\s+)?(?:(?:quick|short|virtual|video|zoom|phone|online|proper)\s+)?"
            r"(?:coffee|lunch|breakfast|dinner|beers?|drinks?|call|chat|video call|"
            r"meeting|demo|catch[- ]up|walk|pairing session|1:1|one-on-one)\b")
_MEALS = ("lunch", "breakfast", "dinner")  # "up for lunch", not "a lunch"


def _said_once(what):
    """Each sentence says "I mentioned" or "we talked about" itself: a reason that says it too would say it twice."""
    return ALREADY_SAID.sub("", what).strip(" :-–")


def _topic(rest, words=r"about|re\b:?|regarding"):
    """What follows "about" ("email re: the contract" -> "the contract"), or None."""
    m = re.match(rf"(?:{words})\s*(.+)", rest, re.I)
    return to_you(_said_once(m.group(1))) if m else None


# Someone named before what is sent ("send Sam the deck"), or after it ("send the deck to Sam"): a note about
# sending something to someone else, nothing to say to this person. (Their own name was made "them" by read().)
_TO_SOMEONE_ELSE = re.compile(rf"^(?!(?:{NOT_THEIRS}|I|my|your|our)\b)[A-Z][\w'’-]*\s+(?:{NOT_THEIRS}|your)\b"
                              r"|\bto\s+(?!(?:you|them|him|her)\b)[A-Z][\w'’-]*\s*$")


# What a note names without "my" but means the user's own: "send CV".
_MINE = re.compile(r"^(?:cv|resume|résumé|portfolio|linkedin|github|website|card|number|phone number|email|"
                   r"e-mail|contact details|details|calendly|availability)\b", re.I)


def send(rest, asked=False):
    rest = re.sub(r"^(?:over|along|across)\b\s*", "", rest, flags=re.I)
    if _TO_SOMEONE_ELSE.search(rest):
        return None
    rest = re.sub(r"\s+to\s+(?:them|him|her|you)\s*$", "", rest, flags=re.I)  # "send the deck to her"
    rest = _MINE.sub(r"my \g<0>", rest)  # "send CV": the user's own
    if not rest:
        return "As you asked, here it is." if asked else "As promised, here is what I mentioned."
    if re.fullmatch(r"it|this|that", rest, re.I):  # "send it": what it is, they know
        return "As you asked, here it is." if asked else "As promised, here it is."
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
    if asked or is_owned(what):  # "here is my resume", not "here is my resume I mentioned"
        return f"As you asked, here {verb} {what}." if asked else f"As promised, here {verb} {what}."
    return f"As promised, here {verb} {what} I mentioned."


def _get_in_touch(rest):
    rest = without_when(rest)
    if not rest:  # "ping in 2 weeks": the message is the ping, sent when it was due
        return CHECK_IN
    about = _topic(rest)
    return f"I wanted to follow up on {about}." if about else None


def _check_in(rest):
    """ "check in in 3 months" -> CHECK_IN: when to write is when the message goes, not something to say."""
    rest = re.sub(r"^(?:in\s+)?with\s+(?:them|him|her|you)\b\s*", "", rest, flags=re.I)
    after = re.match(r"after\s+((?:the|their|his|her|your|my|our)\s+.+)", rest, re.I)
    if after and not re.search(r"\b(?:days?|weeks?|months?|years?)\s*$", rest, re.I):
        return f"I wanted to check in after {to_you(after.group(1))}."
    rest = without_when(rest)
    if not rest:
        return CHECK_IN
    about = _topic(rest, r"about|re\b:?|regarding|on")
    return f"I wanted to check in about {about}." if about else None


def _email(rest):
    return _get_in_touch(rest) or (send(rest) if rest else None)


def _follow_up(rest):
    rest = without_when(re.sub(r"^with\b(?:\s+(?:them|him|her)\b)?\s*", "", rest, flags=re.I))
    if not rest:
        return CHECK_IN
    about = _topic(re.sub(r"^with\b(?:\s+(?:them|him|her)\b)?\s*", "", rest, flags=re.I), r"about|re\b:?|regarding|on")
    return f"I wanted to follow up on {about}." if about else None


def _call(rest):
    rest = re.sub(r"^call\b\s*", "", rest, flags=re.I)  # "phone call"
    rest = to_you(re.sub(r"^(?:re\b:?|regarding)\s*", "about ", rest, flags=re.I))
    return f"Would you be up for a call {rest}?" if rest else "Would you be up for a call?"


def _meet_over(what):
    """ "coffee next month" -> "Would you be up for a coffee next month?"; "drinks" and "lunch" take no "a"."""
    what = re.sub(r"\s*\bwith (?:them|him|her)\b", "", what, flags=re.I)  # it is them the message asks
    what = re.sub(r"^(?:a|an|the|some)\s+", "", lower_first(to_you(what)), flags=re.I)
    what = re.sub(r"^catch[- ]up\b", "catch-up", what, flags=re.I)
    what = re.sub(r"\s+(?:(?<![\w'’])re\b:?|regarding)\s*", " to talk about ", what, flags=re.I)  # "coffee re: Kafka"
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
    rest = re.sub(r"^on\b", "about", rest.rstrip("?").strip(), flags=re.I)  # "check on the role"
    # "ask a question about hiring": what it is about is the question
    rest = re.sub(r"^(?:(?:a|an|one|two|some|my|the|a few|few|a couple of)\s+)?(?:(?:quick|small|short)\s+)?"
                  r"questions?\b\s*", "", rest, flags=re.I)
    # "if still hiring": who is, left out in a hurry
    rest = re.sub(r"^(if|whether)\s+(?=(?:still\s+)?(?:hiring|looking|interested|free|available|around|open|"
                  r"keen|up for|coming|going)\b)", r"\1 they are ", rest, flags=re.I)
    if re.match(r"(?:if|whether|when|how|what|who|why|where|which)\b", rest, re.I):
        return f"I wanted to ask {to_you(rest)}."
    about = _topic(rest)
    if about:
        return f"I wanted to ask you about {about}."
    if QUESTION.match(rest):  # "ask: is the CFP still open?"
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


# What is someone's, written bare in a hurry: "review CV" is theirs, "feedback on talk" the user's.
_SOMEONES_THING = re.compile(r"^(?:cv|resume|résumé|portfolio|pr|pull request|blog|talk|slides|deck|repo|code|"
                             r"website|profile|proposal|project|startup|app|product|paper|article|draft|pitch|"
                             r"abstract|submission|thesis)\b", re.I)


def _whose(what, owner):
    return _SOMEONES_THING.sub(lambda m: f"{owner} {m.group(0)}", what, count=1)


def _look_at(rest):
    return f"I'll have a look at {to_you(_whose(rest, 'your'))}." if rest else None


# After "talk to them": what about, or when. "talk to her manager", "talk to them and Sam": someone else is in it.
_ABOUT_OR_WHEN = r"(?:about|on|over|re\b|regarding|again|more)\b"


def _talk(rest):
    who = re.match(r"(?:with|to)\b\s*", rest, re.I)
    if who:  # "talk to them": it is them; "talk to her manager", "talk to Sam": someone else
        them = re.match(r"(?:with|to)\s+(?:them|him|her|you)\b\s*(.*)", rest, re.I)
        if not them or not (not them.group(1) or re.match(_ABOUT_OR_WHEN, them.group(1), re.I)
                            or is_when(them.group(1))):
            return None
        rest = them.group(1)
    again = re.match(r"(again|more)\b\s*(.*)", rest, re.I)  # "talk again next month"
    if again and (not again.group(2) or is_when(again.group(2))):
        return f"I'd love to talk {again.group(1).lower()} {to_you(again.group(2))}."
    if is_when(rest):  # "chat next week"
        return f"I'd love to talk again {to_you(rest)}."
    rest = re.sub(r"^(?:more\s+)?(?:with\s+(?:them|him|her)\s+)?(?:more\s+)?(?:about|on|over|re\b:?|regarding)?\s*",
                  "", rest, flags=re.I)
    rest = when_left_out(rest)  # "talk about Kafka in 3 months": the message goes then
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


def referral(rest):
    """ "referral to her team", "job referral", "refer me": whoever refers whom, the message asks after it."""
    rest = to_you(_said_once(without_when(re.sub(r"^(?:me|us)\b\s*", "", rest, flags=re.I))))
    if re.match(r"(?:to|for|at|on|with)\s+\S", rest, re.I):
        return f"I wanted to follow up on the referral {rest} we talked about."
    return "I wanted to follow up on the referral we talked about." if not rest else None


def _apply(rest):
    """ "apply for the job", "apply to Acme": the user's own plan; the message asks about the role."""
    place = re.match(r"(?:to|at)\s+(.+)", rest, re.I)
    if place:
        return job(f"the role at {place.group(1)}")
    return job(re.sub(r"^for\s+", "", rest, flags=re.I))


def _feedback(rest):
    rest = to_you(_said_once(without_when(rest)))
    on = re.match(r"(on|about|for)\s+(\S.*)", rest, re.I)
    if on:
        return f"I'd love your feedback {on.group(1)} {_whose(on.group(2), 'my')}."
    return "I'd love your feedback." if not rest else None


def _see_you(rest):
    return f"Hope to see you {to_you(rest)}." if rest else "Hope to see you again soon."


def _refer(rest):
    if re.fullmatch(r"me", rest, re.I):  # "refer me": the role is what it is about
        return job(rest)
    if re.match(r"me\b", rest, re.I):  # "refer me to her team"
        return referral(rest)
    place = re.match(r"to\s+(.+)", rest, re.I)
    return f"I'd be glad to refer you to {to_you(place.group(1))}." if place else None


def _thanks(rest):
    what = to_you(_said_once(rest))
    if not what:
        return "Thanks again for your time."
    return f"Thanks again {what if what.lower().startswith('for ') else 'for ' + what}."


def intro(rest):
    what = to_you(_said_once(rest))
    me = re.match(r"(me|us)\b\s*(?:(?:to|with|for)\b\s*)?(.*)", what, re.I)  # "introduce me to their CTO"
    if me:
        return (f"Would you still introduce {me.group(1).lower()} to {me.group(2)}, as we talked about?"
                if me.group(2) else "Would you still make the introduction we talked about?")
    what = re.sub(r"^(?:to|with)\s+", "", what, flags=re.I)
    two = re.match(r"(.+?)\s+(?:to|with|and)\s+(.+)$", what, re.I)  # "intro Sam to her": Sam, to them
    if two and re.fullmatch(r"you|yourself", two.group(2), re.I):
        what = two.group(1)
    elif two and re.match(r"[A-Z]", two.group(2)) and re.match(r"[A-Z]", what):
        return None  # "intro Sam to Lee": two other people
    if not what:
        return "I'd be glad to make the introduction we talked about: shall I?"
    return f"I'd be glad to make the introduction to {what} we talked about: shall I?"


# "Hiring" as in taking people on, not the hiring manager.
HIRING = r"hiring(?!\s+managers?\b)"
_JOB_LEAD = re.compile(r"^\s*(?:job leads?|they are hiring for|they're hiring for|they are hiring|they're hiring|"
                       rf"they are looking for|they're looking for|is hiring for|is hiring|hiring for|{HIRING}|job|"
                       r"refer)\b\s*(?:them|him|her|you|over)?\s*", re.I)
# Their search for a job, not a role they offer: "job hunting", "job search", "job leads for her", "open to work".
_JOB_HUNT = re.compile(r"\bjob[- ]?(?:hunt|search|seek)\w*|\b(?:job\s+)?leads?\s+for\s+(?:them|him|her|you)\b|"
                       r"\bopen to work\b", re.I)
JOB_HUNT = "How is the job hunt going?"
# The user's own team hiring: "we're hiring", "my team is hiring a data engineer".
_WE_ARE_HIRING = re.compile(r"^(?:we|I|(?:my|our)\s+(?:team|company|startup))\s*(?:'re|’re|'m|’m|are|am|is)\s+"
                            r"hiring\b\s*", re.I)
# A company hiring: "Acme is hiring", "Globex is hiring a data engineer".
_COMPANY_HIRING = re.compile(r"^([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)\s+(?:is|are|'s|’s)\s+(?:still\s+)?hiring\b"
                             r"\s*(?:for\s+)?(.*)")


# Where the role said after "hiring" ends: at the end of a sentence or a dash ("hiring! send the link", "hiring a
# PM - send JD"), or at a comma before something to do ("we're hiring, send the JD"), not one between roles
# ("backend, data and ML engineers").
_THEN = re.compile(r"\s*(?:,|;|[.!?](?=\s|$)|(?:^|\s)[-–—]+(?=\s|$)|[–—])\s*")


def job(reason):
    """ "hiring a data engineer" -> "I'd love to hear more about the data engineer role you mentioned."; None when
    which role is not said and the note is not one ("job leads": theirs to give, or the user's?). What the note
    goes on to say there is to do ("we're hiring, send the JD") is a sentence of its own after it."""
    if _JOB_HUNT.search(reason):
        return JOB_HUNT
    ours = _WE_ARE_HIRING.match(reason)
    if ours:
        role, then = _role_then(reason[ours.end():])
        role = re.sub(r"^for\s+", "", role, flags=re.I)  # "we're hiring for a data engineer"
        said = f"As I mentioned, we're hiring{' ' + role if role else ''}: let me know if you'd like to hear more."
        return _and_then(said, then)
    company = _COMPANY_HIRING.match(reason)
    if company:
        place, what = company.groups()
        return job(f"{what} at {place}") if what else f"I'd love to hear more about the roles at {place} you mentioned."
    what, then = _role_then(_JOB_LEAD.sub("", reason, count=1))
    said = _their_role(what, reason)
    return _and_then(said, then) if said else None


def _role_then(rest):
    """The role said first, as said to them ("" when none), and what the note goes on to say ("" when nothing):
    "backend devs, send the JD" -> ("backend devs", "send the JD")."""
    for m in _THEN.finditer(rest):
        then = rest[m.end():]
        # A comma, or a dash right after "hiring" ("job lead - data engineer"), may as well come before the role.
        may_come_before = m.group().strip() == "," or (m.start() == 0 and m.group().strip()[:1] in "-–—")
        if not may_come_before or something_to_do(then):
            return _role(rest[:m.start()]), then
    return _role(rest), ""


def _role(said):
    return to_you(_said_once(said.strip(" :-–—")))


def _to_do(said):
    """The sentence for a note that says what to do ("send the JD"), or None."""
    kind, sentence = something_to_do(said) or ("other", None)
    return sentence if kind not in ("other", "job") else None


def _and_then(said, then):
    """The sentence, and after it the one for what the note goes on to say there is to do, when it is that (not
    "anyone good?", a thought of the user's)."""
    to_do = _to_do(then) if then else None
    return f"{said} {to_do}" if to_do else said


def _their_role(what, reason):
    """ "a data engineer" -> "I'd love to hear more about the data engineer role you mentioned."; None for leads."""
    what = re.sub(r"^(?:me|us)\b\s*(?:(?:to|with|for)\b\s*)?", "", what, flags=re.I)
    what = re.sub(r"^(a|the)?\s*(job leads?|leads?)\b\s*[:-]?\s*", "", what, flags=re.I)
    what = re.sub(r"^(a|an)\s+", "the ", what, flags=re.I)
    if not what and re.search(r"\bleads\b", reason, re.I):
        return None
    if not what:
        return "I'd love to hear more about the role you mentioned."
    if not re.match(r"(the|your)\b", what, re.I):
        what = "the " + what
    if not re.search(r"\b(roles?|positions?|jobs?|openings?|vacanc\w*|lead)\b", what, re.I):
        what = what.replace(" at ", " role at ", 1) if " at " in what else what + " role"
    if not re.search(r"\bmention", what, re.I):
        what += " you mentioned"
    return f"I'd love to hear more about {what}."


def _congratulate(rest):
    what = re.match(r"(?:on|for)\s+(.+)", to_you(rest), re.I)
    if not what:
        return "Congratulations!" if not rest else None
    said = what.group(1)
    if not re.match(r"(?:the|your|a|an|this|that)\b", said, re.I):
        said = "your " + said  # "congrats on new job"
    return f"Congratulations on {said}!"


def _tell(rest):
    about = _topic(rest)
    return f"I wanted to tell you about {about}." if about else None


def _introduce_me(rest):
    """ "ask for an intro to her manager": them introducing the user."""
    to = re.match(r"(?:to|with)\s+(.+)", to_you(_said_once(rest)), re.I)
    if to:
        return f"Would you still introduce me to {to.group(1)}, as we talked about?"
    return "Would you still make the introduction we talked about?" if not rest else None


def _stay_in_touch(rest):
    return STAY_IN_TOUCH


# What to do, by the words it starts with, and the sentence it makes (None: no good sentence, NEUTRAL is said).
# In order: "connect them with" is an intro before "connect" is keeping in touch, "check out" is looking at
# something before "check" is asking.
TO_DO = [
    ("intro", r"ask (?:them |him |her )?for (?:an |the |a )?(?:intro|introduction)|"
              r"get (?:an |the |a )?(?:intro|introduction)", _introduce_me),
    ("thanks", r"congratulate|congrats|congratulations|congratz", _congratulate),
    ("intro", r"make an intro|make the intro|do an intro|an intro|intro|introduce|introduction|"
              r"connect (?:them|him|her) with|put (?:them|him|her) in touch with", intro),
    ("thanks", r"say thanks|thanks|thank you|thank", _thanks),
    ("job", r"(?:a\s+|the\s+|job\s+|my\s+)?referral|get (?:a |the )?referral|"
            r"ask (?:them |him |her )?about (?:a |the )?referral", referral),
    ("job", r"apply|applying", _apply),
    ("question", r"(?:get|ask for|ask (?:them|him|her) for|want|would love)\s+(?:(?:their|his|her|your)\s+)?feedback|"
                 r"feedback", _feedback),
    ("send", r"send|share|forward|pass on|recommend", send),
    ("send", r"e-?mail|mail", _email),
    ("follow up", r"follow up|follow-up", _follow_up),
    ("follow up", r"check in|check-in|check back in|check back|checking in|touch base|circle back|"
                  r"get back in touch|keep in touch in|reconnect", _check_in),
    ("follow up", r"message|ping|dm|text|write to|write|reach out to|reach out|contact|get back to|"
                  r"get in touch with|get in touch", _get_in_touch),
    ("meet", r"phone call|video call|call|phone|ring", _call),
    ("meet", r"grab|get|have|set up|schedule|arrange|book|plan|organi[sz]e|invite (?:them |him |her )?for", _arrange),
    ("meet", r"meet", _meet),
    ("meet", r"see you|see (?:them|him|her)", _see_you),
    ("look", r"check out|look at|have a look at|take a look at|look into|review|read|try out|try|watch|listen to|"
             r"test|star", _look_at),
    ("question", r"ask|check|find out|confirm|see(?= if| whether)", _ask),
    ("talk", r"talk|chat|discuss|brainstorm|go over|dig into", _talk),
    ("talk", r"tell|let (?:them|him|her) know", _tell),
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
# The rules that read a time themselves: asking to meet or talk, where it is the time they propose ("coffee next
# month", "call them on Monday"), and checking in, where it may be what to ask after ("check in after her talk").
# In every other note a time is when to write ("send the deck next week"): the message goes then, and says nothing
# of it.
_READ_THEIR_WHEN = {_call, _arrange, _meet, _see_you, _invite, _talk, _check_in}
# A note that starts with what is to be had, not done: "Coffee next month", "Drinks", "catch up after".
_MEETING_FIRST = re.compile(rf"^{_MEETING}", re.I)


def something_to_do(reason):
    if _MEETING_FIRST.match(reason) and not re.match(r"(?:call|demo|walk|chat)\b", reason, re.I):
        return "meet", _meet_over(reason)
    for kind, first_words, say in _TO_DO:
        m = first_words.match(reason)
        if m:
            rest = reason[m.end():].strip(" :-–")
            said = say(rest if say in _READ_THEIR_WHEN else when_left_out(rest))
            return (kind, said) if said else ("other", NEUTRAL)
    return None
