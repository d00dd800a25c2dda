"""A short follow-up message drafted from what was logged, for the user to read, change and send themselves.

It has to fit a LinkedIn invitation note (300 characters), so it says only what matters:
who, where, one topic from the notes, and the reason for writing.
"""

import re

LIMIT = 300
TOPIC_LENGTH = 60
# Notes often start with how the talk went rather than what it was about.
LEAD_IN = re.compile(r"^(we\s+)?(talked|chatted|spoke|discussed|talk|chat)(\s+(about|on|re))?[:\s-]+", re.I)


def topic_from(notes):
    """The first thing noted, shortened on a word boundary: "CDC pipelines at Acme"."""
    first = next((part.strip() for part in re.split(r"[.\n;!?]", notes or "") if part.strip()), "")
    first = LEAD_IN.sub("", first).strip(" ,:-")
    if len(first) > TOPIC_LENGTH:
        first = first[:TOPIC_LENGTH].rsplit(" ", 1)[0].rstrip(" ,:-")
    # "Kafka" stays capitalised, "The talk" becomes "the talk"; acronyms ("CDC") are left alone.
    if len(first) > 1 and first[1].islower() and first.split(" ", 1)[0].lower() in COMMON:
        first = first[0].lower() + first[1:]
    return first


COMMON = {"the", "a", "an", "how", "what", "why", "their", "his", "her", "our", "my", "your", "moving",
          "using", "building", "working", "hiring", "running", "getting", "learning", "scaling"}


def first_name(full_name):
    return (full_name or "").split(" ", 1)[0]


def draft(follow_up, person, event, notes, sender_name):
    """The message for one follow-up: greeting, where you met, a topic, the reason, a sign-off."""
    name = first_name(person.name)
    greeting = f"Hi {name}," if name else "Hi,"
    where = f"Great to meet you at {event.name}." if event else "Great to meet you."
    topic = topic_from(notes)
    reason = (follow_up.reason or "").strip().rstrip(".")
    promise = f"As promised: {reason}." if reason else "I'd like to stay in touch."
    sign = first_name(sender_name)
    parts = [greeting, where + (f" I enjoyed our chat about {topic}." if topic else ""), promise]
    if sign:
        parts.append(sign)
    text = "\n".join(parts)
    if len(text) > LIMIT and topic:
        parts[1] = where
        text = "\n".join(parts)
    return text[:LIMIT]
