"""Whether a note is in English: a sentence to the person is worded from it only then, so a note written in German
("Möchte die Slides"), Spanish ("quiere el deck") or French ("envoyer les slides") is never quoted back as if it
were English.

A note is English unless it shows another language: one of the little words (and the verbs of a note to self) of
German, Spanish, French, Italian, Portuguese or Dutch that no English sentence has, or a word with letters English
does not write (ä, ß, ñ, ç...) that is neither a name nor an English word once its accents are dropped ("résumé").
Any other word is taken as English, however rare: a tool's name, jargon ("terraform", "observability",
"de-risking"), which no word list keeps up with.
"""

import functools
import re

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from .wording import fold

# Words of German, Spanish, French, Italian, Portuguese and Dutch notes that are not English ones too ("die",
# "den", "son", "also", "will", "man" are), nor written in English notes ("per", "con", "non", "im", "com", "mon",
# "von Neumann", "et al", "sus" are left out).
NOT_ENGLISH = frozenset((
    # German
    "der das dem des ein eine einen einem einer und oder mit sie er es ich wir ihr für zu zum zur auf bei vom "
    "nicht möchte möchten wollte soll muss kann bitte noch schon über unsere unser seine ihre meine schicken "
    "senden schreiben fragen anrufen treffen teilen nachfragen lebenslauf infos folien "
    # Spanish
    "el la los las un una unos unas del en por para su mis que quiere quieren está más muy enviar mandar pedir "
    "preguntar llamar escribir compartir busca buscar trabajo diapositivas enlace "
    # French
    "le les une des du au aux ou il ils elle elles je tu nous vous mes tes pour avec qui très sur dans envoyer "
    "demander appeler écrire partager cherche chercher recrute recruter veut "
    # Italian and Portuguese
    "gli della delle vuole inviare mandare chiedere scrivere condividere umas não pra perguntar "
    # Dutch
    "het een niet naar voor sturen vragen delen bellen wil").split())
# The letters (and marks) English words are written with.
ENGLISH_LETTERS = re.compile(r"[a-z'’-]+")
# A word with its hyphenated parts ("de-risking", "un-forking") and its apostrophe ("we're", "Maria's").
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@functools.cache
def _words():
    """zxcvbn's words (already here for passwords): the 30,000 commonest on English Wikipedia and 19,000 of
    American TV and film."""
    return frozenset(word for words in FREQUENCY_LISTS.values() for word in words if word.replace("'", "").isalpha())


def is_english(word):
    """ "slides", "we're", "terraform", "de-risking", "résumé" (as "resume"); not "möchte", "quiere" or "les"."""
    word = re.sub(r"['’]s$", "", word.lower())
    if word in NOT_ENGLISH:
        return False
    if ENGLISH_LETTERS.fullmatch(word):
        return True
    return fold(word) in _words() or _caseless_name(word)


def _caseless_name(word):
    """A name in a script without capitals ("王芳", "田中"), where a word of a few letters is most likely one."""
    return len(word) <= 3 and word.lower() == word.upper()


def _a_name(word, first):
    """CV, CFP, PyCon, k8s, and a word written with a capital inside a note ("Sam", "José"): names. A note's
    first word has a capital whatever it is."""
    return (any(c.isdigit() for c in word) or (len(word) > 1 and word.isupper()) or
            any(c.isupper() for c in word[1:]) or (word[:1].isupper() and not first))


def speaks_english(note):
    """Whether the note is English: none of its words is of another language, but for names
    (one letter alone is a word of no language: "y combinator", "plan B")."""
    return all(len(word) == 1 or is_english(word) or _a_name(word, i == 0)
               for i, word in enumerate(_WORD.findall(note)))
