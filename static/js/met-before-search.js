// "Have I met this person before?": search the index the phone keeps, forgiving typos as the server does
// (each word typed is a prefix of a word, or one or two edits away from one), best matches first.

// Letters that are not accented ones, spelled out as the server spells them (webapp/search.py SPELLED_OUT).
const SPELLED_OUT = { "ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ß": "ss", "ı": "i",
  "ħ": "h", "ŧ": "t", "ŀ": "l" };
const NOT_ACCENTED = new RegExp("[" + Object.keys(SPELLED_OUT).join("") + "]", "g");

// As the server folds words: lower case, accents removed ("Zoë" -> "zoe", "Łukasz" -> "lukasz").
export function fold(text) {
  return String(text || "").toLowerCase().replace(NOT_ACCENTED, (letter) => SPELLED_OUT[letter])
    .normalize("NFKD").replace(/\p{M}/gu, "");
}

export function wordsOf(text) {
  return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
}

// Levenshtein distance, giving up once it passes most (typed words are short; this stays cheap).
export function distance(a, b, most) {
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      best = Math.min(best, current[j]);
    }
    if (best > most) return most + 1;
    previous = current;
  }
  return previous[b.length];
}

// How well one typed word matches a person's words: 0 exact or prefix, 1 a typo away, null not at all.
function wordScore(typed, words) {
  if (words.some((w) => w.startsWith(typed))) return 0;
  // A number a digit off is another number (a year, a room): digits are only ever prefixes, as on the server.
  if (typed.length < 3 || /^\p{N}+$/u.test(typed)) return null;
  const most = typed.length < 6 ? 1 : 2;
  return words.some((w) => distance(typed, w, most) <= most) ? 1 : null;
}

// People in the index matching every word typed: [{id, label, company, tags, event: [name, date, id] | null}].
export function search(index, text, limit = 20) {
  const typed = wordsOf(text).slice(0, 8);
  if (!index || !typed.length) return [];
  const found = [];
  index.people.forEach(([id, label, company, tagPositions, eventAt], position) => {
    const tags = tagPositions.map((t) => index.tags[t]);
    const nameWords = wordsOf(label);
    const words = nameWords.concat(wordsOf(company), wordsOf(tags.join(" ")));
    let score = 0;
    for (const word of typed) {
      const s = wordScore(word, words);
      if (s === null) return;
      // A match in the name counts more than one in the company or tags.
      score += s * 10 + (wordScore(word, nameWords) === null ? 1 : 0);
    }
    found.push({ score, position, id, label, company, tags, event: eventAt >= 0 ? index.events[eventAt] : null });
  });
  // Best first, then the newest (the index lists the newest first).
  found.sort((a, b) => a.score - b.score || a.position - b.position);
  return found.slice(0, limit);
}
