"""How a note's words are said to the person it is about: "their talk" -> "your talk", "slides" -> "the slides".

A note is written about someone ("Ask if he knows Rust"); the message is written to them ("if you know Rust").
"""

import calendar
import datetime
import functools
import re
import unicodedata


def tidy(text):
    """One line, without the full stop or comma a note may end with, its accents each one character ("e" and a
    separate "¨", as some keyboards type "ë", is "ë")."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().rstrip(".!;,").strip()


def fold(text):
    """Lower case without accents: "Zoë" -> "zoe", as a note typed in a hurry may spell it."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The letters an accent can sit on, precomposed: "é", "ø", "ş", "ệ".
_ACCENTED = [chr(code) for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))]


@functools.cache
def _any_accent(letter):
    """ "e" -> "[eéèêë…]": a letter as it may be typed with or without an accent."""
    same = "".join(c for c in _ACCENTED if fold(c) == letter)
    return f"[{re.escape(letter + same)}]" if same else re.escape(letter)


def with_or_without_accents(text):
    """A pattern for text however it is accented: "Zoe" and "Zoë" both find "Zoe", "Zoë" and "zoe"."""
    return "".join(_any_accent(c) for c in fold(text))


def capital(text):
    return text[:1].upper() + text[1:]


# The reason is a note about them; the message speaks to them: "the talk they gave" -> "the talk you gave".
_AS_ASKED = {"is": "are", "was": "were", "does": "do", "has": "have"}
_HE_SHE_DOES = {"is": "are", "was": "were", "has": "have", "does": "do", "isn't": "aren't", "wasn't": "weren't",
                "hasn't": "haven't", "doesn't": "don't"}
_NOT_A_VERB = {"always", "also", "just", "still", "never", "often", "really", "sometimes", "perhaps"}
# Words after "her" that show it is them, not theirs: "ask her about", "introduce her to", "send her my CV".
NOT_THEIRS = (r"(?:to|for|about|on|at|with|from|in|and|or|if|whether|how|what|when|why|who|where|that|as|a|an|the|"
              r"re|over|my|our|some|this|these|those)")
TO_YOU = [(re.compile(rf"\b{word}\b", re.I), you) for word, you in (
    ("they're", "you're"), ("they've", "you've"), ("they'll", "you'll"), ("they'd", "you'd"), ("theirs", "yours"),
    ("their", "your"), ("themselves", "yourself"), ("them", "you"), ("they", "you"), ("himself", "yourself"),
    ("herself", "yourself"), ("hers", "yours"), ("his", "your"), ("him", "you"))]


def _keep_case(word, you):
    return you.capitalize() if word[:1].isupper() else you


def _stem(verb):
    """ "knows" -> "know", "teaches" -> "teach", "tries" -> "try": the verb after "you" instead of "she"."""
    lower = verb.lower()
    if lower in _NOT_A_VERB or not lower.endswith("s") or lower.endswith("ss") or len(lower) < 3:
        return None
    if lower.endswith("ies"):
        return verb[:-3] + "y"
    if re.search(r"(?:ch|sh|x|z|o)es$", lower):
        return verb[:-2]
    return verb[:-1]


def to_you(text):
    """A note's words about the person, said to them: "if he knows Rust" -> "if you know Rust"."""
    text = re.sub(r"\b(is|was|does|has)\s+(?:she|he|they)\b",
                  lambda m: _keep_case(m.group(1), _AS_ASKED[m.group(1).lower()]) + " you", text, flags=re.I)
    text = re.sub(r"\b(?:she|he)\s+(is|was|has|does|isn't|wasn't|hasn't|doesn't)\b",
                  lambda m: _keep_case(m.group(0), "you") + " " + _HE_SHE_DOES[m.group(1).lower()], text, flags=re.I)
    text = re.sub(r"\b(?:she|he)(?:'|’)(s|d|ll)\b", lambda m: _keep_case(m.group(0), "you") + "'" + {
        "s": "re", "d": "d", "ll": "ll"}[m.group(1).lower()], text, flags=re.I)

    def verb_after(m):
        stem = _stem(m.group(1))
        return _keep_case(m.group(0), "you") + " " + (stem or m.group(1))

    text = re.sub(r"\b(?:she|he)\s+(\w+)", verb_after, text, flags=re.I)
    text = re.sub(r"\b(?:she|he)\b", lambda m: _keep_case(m.group(0), "you"), text, flags=re.I)
    for word, you in TO_YOU:
        text = word.sub(lambda m, you=you: _keep_case(m.group(0), you), text)
    # "her talk" is theirs; "ask her" or "with her." is them.
    text = re.sub(rf"\bher\b(?=\s+(?!{NOT_THEIRS}\b)\w)", lambda m: _keep_case(m.group(0), "your"), text, flags=re.I)
    return re.sub(r"\bher\b", lambda m: _keep_case(m.group(0), "you"), text, flags=re.I)


# Someone's: "José's contact", "Maria's talk slides", "James' deck".
_SOMEONES = r"[^\W\d_][\w.-]*(?:'s|’s|'|’)(?=\s|$)"


def the_thing(what):
    """ "slides" -> "the slides"; "a link" -> "the link"; "my talk" and "José's contact" stay as they are."""
    if not what:
        return what
    what = re.sub(r"^(?:a|an)\s+", "the ", what, flags=re.I)
    if re.match(rf"(?:(?:the|my|our|your|that|this|those|these|some)\b|{_SOMEONES})", what, re.I):
        return what
    return "the " + what


def is_owned(what):
    """ "my resume", "your talk", "José's contact": someone's, which "here is ... I mentioned" cannot follow."""
    return bool(re.match(rf"(?:(?:my|our|your)\b|{_SOMEONES})", what, re.I))


# When to write or to meet, as notes say it: "in 3 months", "next week", "after the holidays", "in Q3", "soon".
_HOW_MANY = (r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|a couple(?: of)?|"
             r"couple(?: of)?|several|some)")
_UNIT = r"(?:days?|weeks?|wks?|fortnights?|months?|mo|mos|years?|yrs?|quarters?|hours?)"
_NAMED_TIME = (r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|weekend|week|month|year|quarter|spring|summer|autumn|"
               r"fall|winter|january|february|march|april|may|june|july|august|september|october|november|"
               r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|q[1-4]|h[12]|christmas|new year|holidays|"
               r"the holidays|the summer|the new year")
# "in a week or two", "in a month or so": a time said loosely is still a time.
_OR_SO = r"(?:\s+or\s+(?:so|more|two|three|\d+))?"
# "by mid-January", "at the end of next month", "in Q1 2027", "on Monday morning": a time is said in parts.
_WHEN_WORD = r"(?:on|by|before|after|in|around|during|over|until|till|at)"
_PART_OF = r"(?:early|late|later|mid|end of|the end of|the middle of|start of|the start of|the beginning of)"
_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_CLOCK = r"(?:\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)|noon|midnight)"
_MONTH_NAME = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|"
               r"mar|apr|jun|jul|aug|sept?|oct|nov|dec)")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# "Jan 10", "January 10th", "10 January", "the 10th of January": a day, said either way round.
_DATE = rf"(?:{_MONTH_NAME}\.?\s+{_DAY}|(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH_NAME})(?:,?\s+(?:19|20)\d\d)?"
_ONE_WHEN = (rf"(?:(?:in|within|after|for|about)\s+(?:the\s+)?(?:next\s+)?{_HOW_MANY}\s+{_UNIT}{_OR_SO}"
             rf"(?:\s+time)?|"
             rf"{_HOW_MANY}\s+{_UNIT}{_OR_SO}(?:\s+(?:from now|later|time))?|"
             rf"(?:{_WHEN_WORD}\s+)?{_DATE}|"
             rf"(?:{_WHEN_WORD}\s+)?(?:{_PART_OF}(?:\s+|-)(?:the\s+)?)?(?:(?:next|this|the next|coming)\s+)?"
             rf"(?:{_NAMED_TIME})(?:\s+(?:19|20)\d\d)?{_OF_DAY}|"
             rf"(?:(?:at|around|by|before|after)\s+)?{_CLOCK}|(?:at|around|by|before|after)\s+\d{{1,2}}(?:[:.]\d\d)?|"
             rf"in\s+(?:19|20)\d\d|(?:tomorrow|tonight|today){_OF_DAY}|(?:{_WHEN_WORD}\s+)?(?:eod|eow|eom|eoy|cob)|"
             r"later|soon|sometime|someday|eventually|asap|a\.s\.a\.p|"
             r"in a bit|in a while|at some point|again|once more|some time|down the line|down the road|"
             r"when (?:she|he|they|you|I|we)(?:'s|'re|’s|’re| is| are| am| get| gets)? back|after (?:the|this|that|"
             r"her|his|their|my|our) (?:conference|conf|event|meetup|talk|trip|holidays?|vacation|break|launch)|"
             r"later (?:this|next) \w+)")
WHEN = re.compile(rf"(?:\s*,?\s*\b{_ONE_WHEN}\b)+\s*$", re.I)
# A time first with no word that makes it one, straight before more words, is those words' start: "May be
# hiring", "Summer internship at Acme"; "Monday: the deck", "next week, the role" are times.
_WHEN_FIRST = re.compile(rf"^(?:(?!(?:{_NAMED_TIME})\s+[^\W\d])(?:{_ONE_WHEN})\b\s*,?\s*)+", re.I)


def is_when(text):
    """Whether the words only say when: "in 3 months", "next week", "again soon"."""
    return bool(text) and WHEN.fullmatch(" " + text.strip()) is not None


def without_when(text):
    """The words without the time they start or end with: "next week: the role in Berlin" -> "the role in Berlin"."""
    return _WHEN_FIRST.sub("", WHEN.sub("", text)).strip(" ,:-–")


def when_last(text):
    """A time said first, said last: "tomorrow at 10 call about the role" -> "call about the role tomorrow at 10",
    as what to do is read from a note's first words."""
    first = _WHEN_FIRST.match(text)
    rest = text[first.end():].strip(" ,:-–") if first else ""
    if not rest:
        return text
    when = first.group(0).strip(" ,:-–")
    if re.sub(r"\W.*", "", when).lower() not in _CALENDAR_NAMES:  # "Tomorrow" had a capital only as first word
        when = when[0].lower() + when[1:]
    return f"{rest} {when}"


_CALENDAR_NAMES = {name.lower() for name in (*calendar.day_name, *calendar.month_name, *calendar.month_abbr,
                                             "Christmas", "Easter", "Q1", "Q2", "Q3", "Q4", "H1", "H2") if name}


# What a time may not be cut from: "ask about next week" is about it, not when to ask.
_LEFT_HANGING = re.compile(r"\b(?:about|on|for|to|of|with|at|by|from|in|re|regarding|until|till|the|a|an|and|or|my|"
                           r"your|our|their|his|her)\s*$", re.I)


def when_left_out(text):
    """The words without the time that says when to write ("send the deck next week" -> "send the deck"): the
    message goes then, so it does not say it. A time the words are about stays ("ask about next week")."""
    rest = without_when(text)
    return text if _LEFT_HANGING.search(rest) else rest


def lower_first(text):
    """ "Coffee next month" -> "coffee next month"; "CFP" and "Sam" keep their capitals only when they are
    acronyms: a reason is usually typed starting with a capital that means nothing."""
    if len(text) > 1 and text[0].isupper() and text[1].islower() and text.split(" ", 1)[0].lower() in EVERYDAY:
        return text[0].lower() + text[1:]
    return text


EVERYDAY = {"coffee", "lunch", "beer", "beers", "drink", "drinks", "call", "catch", "catch-up", "breakfast", "dinner",
            "chat", "a", "the", "what", "how", "why", "when", "where", "who", "which", "is", "are", "do", "does",
            "did", "can", "could", "would", "will", "have", "has", "meeting", "demo", "walk", "some"}


def is_plural(what):
    head = re.split(r" (?:on|about|from|of|for|by|at|with|in|after|before|next|this) ", what, maxsplit=1)[0]
    last = re.sub(r"[^\w]", "", head.rsplit(" ", 1)[-1]).lower()
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a couple": 2, "couple of": 2,
            "a few": 3, "few": 3}
_MONTHS_IN = {"month": 1, "mo": 1, "quarter": 3, "year": 12, "yr": 12}
_SAID_AFTER = re.compile(
    r"\b(?:(?:in|within|after|about)\s+(?:the\s+)?(?:next\s+)?)?"
    r"(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple(?: of)?|couple of|a few|few)"
    r"\s+(day|week|wk|fortnight|month|mo|quarter|year|yr)s?\b(?!\s+ago)", re.I)
# "next year" is not a year from now: said in December, it is a few weeks away (see _SAID_NEXT_YEAR).
_SAID_NEXT = re.compile(r"\b(?:next\s+(week|fortnight|month|quarter)|in\s+a\s+(week|fortnight|month|quarter|year))\b",
                        re.I)
_MONTHS = {name: number for number in range(1, 13)
           for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())}
_MONTHS["sept"] = 9
# A month is a time only after a word that says so ("in June", "early March"): "coffee with June" is a person, and
# so is one with something of theirs ("people in Jan's team", "in May's talk").
_SAID_MONTH = re.compile(r"\b(in|by|around|early|next|mid|late|end of)[\s-]+(" + "|".join(_MONTHS) +
                         r")\b(?!['’])\.?(?:\s+((?:19|20)\d\d)\b)?", re.I)
_DAY_OF_MONTH = {"mid": 15, "late": 24, "end of": 24}
_SAID_DATE = re.compile(rf"\b(?:({_MONTH_NAME})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?|"
                        rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAME}))(?![\w'’])"
                        r"(?:,?\s+((?:19|20)\d\d)\b)?", re.I)
_SAID_QUARTER = re.compile(r"\b(?:in|by|during|early)\s+(?:the\s+)?q([1-4])\b(?:\s+((?:19|20)\d\d)\b)?", re.I)
_AFTER_NEW_YEAR = re.compile(r"\b(?:after\s+(?:the\s+)?(?:holidays|christmas|xmas|new year)|in\s+the\s+new\s+year)\b",
                             re.I)
_NEW_YEAR_BACK = (1, 6)  # 6 January: back at work after the new year
# "next year", "early next year": back at work after the new year; "mid-" and "late next year" further on.
_SAID_NEXT_YEAR = re.compile(r"\b(?:(early|mid|late)[\s-]+)?next\s+year\b", re.I)
_IN_NEXT_YEAR = {"mid": (7, 1), "late": (10, 1)}
# "by the end of the week" is its Friday; "by the end of the month", "by EOM", the 24th ("end of December").
_SAID_END_OF = re.compile(r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(week|month)|eo(w|m))\b", re.I)


def said_due(reason, day):
    """The day a reason says to follow up on, counted from day: "check in in 3 months", "coffee next month",
    "ping in a couple of weeks", "in a fortnight", a month or a quarter to come ("coffee in June": 1 June, "mid-March",
    "in Q3"), "after the holidays" said in the autumn or winter (6 January); None when it names no such time. A
    weekday or a season is left to the user's "Later…", which picks the day."""
    reason = reason or ""
    return _said_stretch(reason, day) or _said_month(reason, day)


def _said_stretch(reason, day):
    stretch = _stretch(reason)
    if not stretch:
        return None
    count, unit = stretch
    if unit == "day":
        return day + datetime.timedelta(days=count)
    if unit in ("week", "wk"):
        return day + datetime.timedelta(weeks=count)
    if unit == "fortnight":
        return day + datetime.timedelta(weeks=2 * count)
    return _months_after(day, count * _MONTHS_IN[unit])


def _stretch(reason):
    """(count, unit) for a stretch of time from now ("in 3 months", "2 weeks from now", "next month"), or None:
    "for 3 years" and "3 months ago" are not one."""
    found = _SAID_AFTER.search(reason)
    if found and (found.group(0).lower().split()[0] in ("in", "within", "after", "about")
                  or re.search(r"\b(?:from now|later|time)\b", reason[found.end():found.end() + 12], re.I)):
        count = int(found.group(1)) if found.group(1).isdigit() else _NUMBERS[found.group(1).lower()]
        return count, found.group(2).lower()
    found = _SAID_NEXT.search(reason)
    return (1, (found.group(1) or found.group(2)).lower()) if found else None


def _said_month(reason, day):
    """ "in March", "mid-June", "in Q3", "after the holidays": the next such day from day, or None when it is now
    (in March, "in March" says no later day) or when which holidays are meant is not clear. "next year" is when
    work starts again after the new year (6 January)."""
    found = _SAID_DATE.search(reason)
    if found:  # "by Jan 10", "on 10 January 2027"
        month = _MONTHS[(found.group(1) or found.group(4)).lower()]
        on = int(found.group(2) or found.group(3))
        if 1 <= on <= calendar.monthrange(int(found.group(5) or day.year), month)[1]:
            return _next(day, month, on, found.group(5))
    found = _SAID_MONTH.search(reason)
    if found:
        month, on = _MONTHS[found.group(2).lower()], _DAY_OF_MONTH.get(found.group(1).lower(), 1)
        return _next(day, month, on, found.group(3))
    found = _SAID_QUARTER.search(reason)
    if found:
        return _next(day, 3 * int(found.group(1)) - 2, 1, found.group(2), months=3)
    found = _SAID_END_OF.search(reason)
    if found:
        end = (day + datetime.timedelta(days=(calendar.FRIDAY - day.weekday()) % 7)
               if (found.group(1) or found.group(2)).lower() in ("week", "w")
               else day.replace(day=_DAY_OF_MONTH["end of"]))
        return end if end > day else None
    found = _SAID_NEXT_YEAR.search(reason)
    if found:
        return datetime.date(day.year + 1, *_IN_NEXT_YEAR.get((found.group(1) or "").lower(), _NEW_YEAR_BACK))
    if _AFTER_NEW_YEAR.search(reason) and (day.month >= 10 or (day.month, day.day) < _NEW_YEAR_BACK):
        return datetime.date(day.year + (day.month >= 10), *_NEW_YEAR_BACK)
    return None


# The times that count from the day they were said, and so set a due day when said: on that day they say another
# time ("coffee next month", said in December, is due in January, when next month is February): a stretch from
# now (_stretch), or one of these.
_FROM_THE_DAY_SAID = (_SAID_NEXT_YEAR, _AFTER_NEW_YEAR, _SAID_END_OF)
# A time anywhere in the words, as much of it as is said: "coffee next month to talk about Kafka".
_A_WHEN = re.compile(rf"(?:\s*,?\s*\b{_ONE_WHEN}\b)+", re.I)


def _counts_from_the_day_said(when):
    return bool(_stretch(when)) or any(said.search(when) for said in _FROM_THE_DAY_SAID)


def when_due_left_out(text):
    """The words without a time that set the due day counting from the day it was said, wherever it is: the
    message is sent on that day, when the time would say another ("coffee next month to talk about Kafka" ->
    "coffee to talk about Kafka"). A month named ("coffee in June") still says the same then, and stays; so does
    a time the words are about ("ask about next week")."""
    def left_out(when):
        about_it = _LEFT_HANGING.search(text[:when.start()])
        return "" if _counts_from_the_day_said(when.group(0)) and not about_it else when.group(0)

    return _A_WHEN.sub(left_out, text).strip(" ,:-–")


def _next(day, month, on, year=None, months=1):
    """The next `on` of month (of year, when said) after day; within those months already, that day when it is
    still ahead ("mid-December" on 7 December: the 15th), else None ("in December" in December says no later
    day)."""
    first = datetime.date(int(year) if year else day.year, month, 1)
    if first <= day < _months_after(first, months):
        return first.replace(day=on) if first.replace(day=on) > day else None
    if not year and first < day:
        first = first.replace(year=day.year + 1)
    start = first.replace(day=on)
    return start if start > day else None


def _months_after(day, months):
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))
