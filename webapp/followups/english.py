"""Which words are English: a sentence to the person is made only of words they can read in it, so a note written
in German ("Möchte die Slides") or Spanish ("quiere el deck") is never worded as if it were English.

The words are zxcvbn's (already here for passwords): the 30,000 commonest on English Wikipedia and 19,000 of
American TV and film, with the names and common passwords it moved some to ("hunting", "slack", "mentor"); and the
words of tech events those lack. zxcvbn leaves out most words of three letters or fewer (a password that short is
guessed by trying them all): those are taken as English, but for the little words a note in German, Spanish or
French is made of ("les slides", "el deck").
"""

import functools
import re

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from .wording import fold

# Said at every meetup, rare on Wikipedia and TV.
EVENT_WORDS = frozenset((
    "meetup meetups repo repos api apis cfp frontend backend onboarding kubernetes postgres hackathon devrel oncall "
    "gig gigs llm llms ai ml pr prs cv cvs internals devops fintech saas ux ui cofounders webinar standup offsite "
    "roadmap codebase microservices serverless typescript golang graphql rust sre devs sync wiki docs spec swap"
).split())
# Short words of German, Spanish and French that are not English ones too ("die", "den", "son" are).
NOT_ENGLISH_SHORT = frozenset((
    "el la los las le les un une des du de del al au aux der das dem ein und mit sie er es ich wir ihr für zu im "
    "auf bei von vom zum zur y o et ou il ils je tu nous vous mi mis mon ma mes su por para pour avec que qui "
    "está más muy très").split())
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@functools.cache
def _words():
    listed = (word for words in FREQUENCY_LISTS.values() for word in words if word.replace("'", "").isalpha())
    return frozenset(listed) | EVENT_WORDS


def is_english(word):
    """ "slides", "we're", "Maria's", "résumé" (as "resume"); not "möchte", "quiere" or "envoyer"."""
    word = re.sub(r"['’]s$", "", word.lower().replace("’", "'"))
    if len(word.replace("'", "")) <= 3:
        return word not in NOT_ENGLISH_SHORT
    return word in _words() or fold(word) in _words()


def _a_name(word, first):
    """CV, CFP, PyCon, k8s, and a word written with a capital inside a note ("Sam", "Acme"): names, which no word
    list holds. A note's first word has a capital whatever it is."""
    return (any(c.isdigit() for c in word) or (len(word) > 1 and word.isupper()) or
            any(c.isupper() for c in word[1:]) or (word[:1].isupper() and not first))


def speaks_english(said, note):
    """Whether each word the note put into the sentence said is English, or a name."""
    understood = {}
    for i, word in enumerate(_WORD.findall(note)):
        understood[word.lower()] = understood.get(word.lower(), False) or is_english(word) or _a_name(word, i == 0)
    return all(understood[word.lower()] for word in _WORD.findall(said) if word.lower() in understood)
