#!/usr/bin/env python3
"""Builds Fixtures/stemmer/english-vocabulary.tsv, the expected stems for EnglishStemmerTests.

The stems come from the PyPI package `snowballstemmer` (pip install snowballstemmer), the reference
Snowball implementation generated from english.sbl. The words are real: the distinct lowercase ASCII
words of the scifact and cranfield corpora (shared/eval, beside the package root), tokenized on
non-alphanumerics. A deterministic sample of about 3,000 of them is kept:

  * for every suffix and prefix the algorithm tests, up to 20 words that carry it, so each
    rule is exercised (chosen by SHA-1 of the word, not alphabetically, to spread over the vocabulary);
  * words whose y the prelude marks as a consonant, and very short words;
  * the rest filled up from the whole vocabulary in SHA-1 order;
  * plus the algorithm's exceptional forms and special prefixes (skies, dying, news, generate, …) and
    possessive forms with apostrophes (the analyzer keeps "model's" as one word), whether or not the
    corpora have them.

Run from anywhere: python3 scripts/make-stemmer-vocabulary.py [--eval DIR] [--all-words OUT]
--all-words also writes every distinct word of both corpora with its stem to OUT (not committed; used to
check the Swift stemmer on the whole vocabulary). Rerunning rewrites the same bytes.
"""

import argparse
import hashlib
import json
import os
import re
from importlib.metadata import version

import snowballstemmer

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "Fixtures", "stemmer", "english-vocabulary.tsv")
SAMPLE_SIZE = 3000
PER_SUFFIX = 20

# Every suffix the steps look for (1a, 1b, the endings left after 1b, 1c, 2, 3, 4, 5).
SUFFIXES = """
'  's  's'  sses ied ies ss us s
eed eedly ed edly ing ingly
bbed dded ffed gged mmed nned pped rred tted bbing dding ffing gging mming nning pping rring tting
ated ating bled bling ized izing
y
tional enci anci abli entli izer ization ational ation ator alism aliti alli fulness ousli ousness
iveness iviti biliti bli ogi logi ogist fulli lessli li
icate ative alize iciti ical ful ness
al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion sion tion
e le l ll
""".split()
PREFIXES = "gener commun arsen past univers later emerg organ inter".split()

# The exceptional forms (exception1, and the words Step 1b treats specially), the special prefixes, and
# words with apostrophes.
EXTRA = """
skis skies sky idly gently ugly early only singly news howe atlas cosmos bias andes
dying lying tying inning outing canning herring earring evening proceed exceed succeed
proceeding exceedingly succeeded agreed feed bleed
generate generates general generically generous generation communication communism community
communities arsenic arsenal past paste pasted pasting universe universal university universities
later lateral laterally emerge emergency emergent organ organic organize organization intern
internal international internment interfere interval
consign consigned consigning consignment consist consisted consistency consistent consistently
consisting consists consolation consolations consolatory console consoled consoles consolidate
consolidated consolidating consoling consolingly consols consonant consort consorted consorting
conspicuous conspicuously conspiracy conspirator conspirators conspire conspired conspiring
constable constables constance constancy constant
knack knackeries knacks knag knave knaves knavish kneaded kneading knee kneel kneeled kneeling
kneels knees knell knelt knew knick knif knife knight knightly knights knit knits knitted knitting
knives knob knobs knock knocked knocker knockers knocking knocks knopp knot knots
hoping hopping hoped hopped luxuriating luxuriated hopefully yearly youth yes yielding sayings
played playing enjoy enjoying cry crying cried cries by say says ties tied pies gas gases this kiwis
caress ponies cats feed agreed plastered bled motoring sing conflated troubled sized hopping tanned
falling hissing fizzed failing filing happy sky relational conditional rational valenci hesitanci
digitizer conformabli radicalli differentli vileli analogousli vietnamization predication operator
feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative
formalize electriciti electrical hopeful goodness revival allowance inference airliner gyroscopic
adjustable defensible irritant replacement adjustment dependent adoption homologou communism activate
angulariti homologous effective bowdlerize probate rate cease controll roll
model's models' author's children's women's men's 's 'tis o'clock ma'am don't it's their's
a an be at ad ax ox
""".split()


def tokens(text):
    for t in re.findall(r"[^\W_]+", text):
        if t.isascii():
            yield t.lower()


def vocabulary(eval_dir):
    words = set()
    for name in ("scifact", "cranfield"):
        with open(os.path.join(eval_dir, name, "corpus.jsonl"), encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                for field in ("title", "text"):
                    words.update(tokens(doc.get(field) or ""))
    return sorted(words)


def key(word):
    return hashlib.sha1(word.encode()).hexdigest()


def sample(words):
    lettered = sorted((w for w in words if re.search("[a-z]", w)), key=key)
    chosen = []
    seen = set()

    def take(candidates, limit):
        n = 0
        for w in candidates:
            if n >= limit:
                break
            if w not in seen:
                seen.add(w)
                chosen.append(w)
                n += 1

    for suffix in SUFFIXES:
        take((w for w in lettered if w.endswith(suffix) and len(w) > len(suffix)), PER_SUFFIX)
    for prefix in PREFIXES:
        take((w for w in lettered if w.startswith(prefix)), PER_SUFFIX)
    take((w for w in lettered if re.search("[aeiouy]y", w)), PER_SUFFIX)
    take((w for w in lettered if w.startswith("y")), PER_SUFFIX)
    take((w for w in lettered if len(w) <= 3), PER_SUFFIX)
    take((w for w in lettered if re.search("[0-9]", w)), PER_SUFFIX)
    take(lettered, max(0, SAMPLE_SIZE - len(chosen)))
    for w in EXTRA:
        if w not in seen:
            seen.add(w)
            chosen.append(w)
    return sorted(chosen)


def write(path, words, stemmer, note):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# word<TAB>stem. {note}\n")
        f.write(f"# Stems by snowballstemmer {version('snowballstemmer')} (Snowball english.sbl); "
                "made by scripts/make-stemmer-vocabulary.py.\n")
        for w in words:
            f.write(f"{w}\t{stemmer.stemWord(w)}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", default=os.path.join(ROOT, "..", "shared", "eval"))
    parser.add_argument("--all-words", metavar="OUT")
    args = parser.parse_args()
    stemmer = snowballstemmer.stemmer("english")
    words = vocabulary(args.eval)
    chosen = sample(words)
    write(OUT, chosen, stemmer, f"{len(chosen)} words: a sample of the scifact and cranfield vocabulary "
          "plus the algorithm's exceptional forms.")
    print(f"{OUT}: {len(chosen)} words (vocabulary: {len(words)})")
    if args.all_words:
        write(args.all_words, words, stemmer, f"All {len(words)} distinct words of scifact and cranfield.")
        print(f"{args.all_words}: {len(words)} words")


if __name__ == "__main__":
    main()
