#!/usr/bin/env python3
"""Relevance-feedback learners outside ahub, on a BEIR-style collection (cranfield; csl-zh read as characters).

The protocol of `ahub eval --radar`: each judged query with at least 8 relevant documents is a simulated
user; round 1 is BM25 of the query (k1 0.9, b 0.4), then 4 more rounds of 10, the relevant ones liked and
the rest disliked, no document shown twice. Prints precision@10 per round and relevant found in 50.

It asks one question: does any representation or learner find clearly more relevant papers in 50 than
arxiv-sanity-lite's linear SVM? (docs/radar-evaluation.md has the answer.) Needs numpy and scikit-learn
(`pip install scikit-learn`); not part of the build or the tests.

    python3 scripts/radar_study.py Fixtures/eval/cranfield [--vectors LIBRARY.sqlite] [--after RADAR.json] [method ...]

With --vectors (an ahub library holding the collection with embeddings, such as the one `ahub eval` keeps
in ~/.cache/academichub/eval/), learners that also read the papers' embeddings join in.

With --after (the output of `ahub eval --radar --json` on the same collection) it asks instead how each
method does in the radar's place: before each round k = 2…5, fitted to the radar's own likes and dislikes
of rounds 1…k-1, ranking the papers the radar had not shown. It prints the relevant papers each finds in
round k, over all users, beside the radar's own. A corpus with disciplines (csl-zh) gives one user per
discipline with at least 20 papers, and Chinese text is read as characters and character pairs. Two more
rows: per user and round, the method whose ranking of the round before best ordered the radar's page of
that round (likes above dislikes), as a radar could choose; and the best method per user in hindsight.
And one ensemble: the mean of every method's z-scored scores.
"""
import collections, glob, json, sqlite3, sys, warnings

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore")
args = sys.argv[1:]
library = None
if "--vectors" in args:
    at = args.index("--vectors")
    library = args[at + 1]
    del args[at:at + 2]
after = None
if "--after" in args:
    at = args.index("--after")
    after = json.load(open(args[at + 1]))
    del args[at:at + 2]
if args and args[0] in ("-h", "--help"):
    sys.exit(__doc__)
root = args[0] if args else "Fixtures/eval/cranfield"
docs = [json.loads(line) for line in open(root + "/corpus.jsonl")]
index = {d["_id"]: i for i, d in enumerate(docs)}
texts = [d.get("title", "") + " " + d.get("text", "") for d in docs]
relevant = collections.defaultdict(set)
disciplines = {d["_id"]: d["metadata"]["discipline"] for d in docs if d.get("metadata", {}).get("discipline")}
if disciplines:
    # As `ahub eval --radar`: a user per discipline with at least 20 papers, the radar made from its name.
    for doc, label in disciplines.items():
        relevant[label].add(index[doc])
    queries = {label: label for label in relevant}
    minimum = 20
else:
    queries = {q["_id"]: q["text"] for q in map(json.loads, open(root + "/queries.jsonl"))}
    for path in glob.glob(root + "/qrels/*"):
        for line in open(path):
            fields = line.split()
            if len(fields) >= 3 and fields[-1].lstrip("-").isdigit() and int(fields[-1]) > 0 and fields[-2] in index:
                relevant[fields[0]].add(index[fields[-2]])
    minimum = 8
ids = [q for q, r in sorted(relevant.items()) if len(r) >= minimum and q in queries]
users = [(queries[q], relevant[q]) for q in ids]
N = len(docs)
# Chinese text has no spaces for a word tokenizer: characters and character pairs instead.
chinese = sum(1 for t in texts[:200] for c in t if "\u4e00" <= c <= "\u9fff") > sum(len(t) for t in texts[:200]) / 4

# BM25 for round 1.
counts = CountVectorizer(analyzer="char", ngram_range=(1, 2)) if chinese else CountVectorizer(stop_words="english")
tf = counts.fit_transform(texts).tocsc()
length = np.asarray(tf.sum(1)).ravel()
df = np.asarray((tf > 0).sum(0)).ravel()
idf = np.log(1 + (N - df + 0.5) / (df + 0.5))
analyze = counts.build_analyzer()


def bm25(text, k1=0.9, b=0.4):
    s = np.zeros(N)
    for term in set(analyze(text)):
        j = counts.vocabulary_.get(term)
        if j is None:
            continue
        col = tf[:, j]
        f = col.data
        s[col.indices] += idf[j] * f * (k1 + 1) / (f + k1 * (1 - b + b * length[col.indices] / length.mean()))
    return s


def tfidf(**options):
    if chinese:
        options = {"analyzer": "char", "ngram_range": (1, 2), "min_df": 2}
    return TfidfVectorizer(stop_words="english", sublinear_tf=True, **options).fit(texts)


vocabulary = tfidf()
unigrams = vocabulary.transform(texts)
# arxiv-sanity-lite's own vectorizer (compute.py's defaults).
# (It reads Latin letters only: for Chinese text, the characters above stand in.)
sanity = unigrams if chinese else TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode", ngram_range=(1, 2),
    token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b", max_features=20000, min_df=5,
    max_df=0.1).fit_transform(texts)
bigrams = tfidf(ngram_range=(1, 2), min_df=2).transform(texts)
lsa = hstack([unigrams, csr_matrix(0.5 * normalize(TruncatedSVD(200, random_state=0).fit_transform(unigrams)))]).tocsr()
cosine = (unigrams @ unigrams.T).toarray()
np.fill_diagonal(cosine, 0)


def neighbours(k):
    graph = np.zeros_like(cosine)
    top = np.argsort(-cosine, axis=1)[:, :k]
    rows = np.repeat(np.arange(N), k)
    graph[rows, top.ravel()] = cosine[rows, top.ravel()]
    return graph / (graph.sum(1, keepdims=True) + 1e-12)


graph30 = neighbours(30)


embeddings = None
if library:
    embeddings = np.zeros((N, 0), dtype=np.float32)
    with sqlite3.connect(library) as db:
        rows = db.execute("SELECT p.native_id, v.dimension, v.data FROM vectors v JOIN papers p ON p.id = v.paper_id "
                          "WHERE v.type = 'float32'").fetchall()
    for native, dimension, data in rows:
        if embeddings.shape[1] == 0:
            embeddings = np.zeros((N, dimension), dtype=np.float32)
        if native in index and dimension == embeddings.shape[1]:
            embeddings[index[native]] = np.frombuffer(data, dtype="<f4")
    if embeddings.shape[1] == 0:
        sys.exit(f"{library}: no float32 vectors of this collection's papers")


def with_embeddings(weight):
    return hstack([unigrams, csr_matrix(weight * embeddings)]).tocsr()


def z(s):
    return (s - s.mean()) / (s.std() + 1e-12)


def svm(x, liked, disliked=(), dislike_weight=1.0):
    y = np.zeros(N)
    y[list(liked)] = 1
    weights = np.ones(N)
    weights[list(disliked)] = dislike_weight
    return LinearSVC(C=0.01, class_weight="balanced", tol=1e-4).fit(x, y, sample_weight=weights).decision_function(x)


def pairwise(x, liked, disliked, unshown=0, seed=0):
    """A pairwise ranker (RankSVM): each liked paper above each disliked one (and above `unshown` papers drawn
    from the rest), fitted as a linear SVM on the pairs' differences, both orders."""
    others = list(disliked)
    if unshown:
        rest = np.setdiff1d(np.arange(N), np.array(list(liked) + list(disliked)))
        others += list(np.random.default_rng(seed).choice(rest, size=min(unshown, len(rest)), replace=False))
    if not others:
        return svm(x, liked)
    a = np.repeat(np.array(liked), len(others))
    b = np.tile(np.array(others), len(liked))
    d = x[a] - x[b]
    from scipy.sparse import vstack
    pairs = vstack([d, -d]).tocsr()
    y = np.r_[np.ones(len(a)), np.zeros(len(a))]
    model = LinearSVC(C=0.01, fit_intercept=False, tol=1e-4).fit(pairs, y)
    return np.asarray(x @ model.coef_.ravel()).ravel()


def rocchio(text, first, liked, disliked):
    w = vocabulary.transform([text]).toarray().ravel() + 0.75 * np.asarray(unigrams[liked].mean(0)).ravel()
    if disliked:
        w -= 0.15 * np.asarray(unigrams[disliked].mean(0)).ravel()
    return unigrams @ w


def smoothed(scores):
    return scores + 0.5 * graph30 @ scores


def pseudo(text, first, liked, disliked):
    s = svm(unigrams, liked)
    rated = set(liked) | set(disliked)
    extra = [i for i in np.argsort(-s) if i not in rated][:3]
    return svm(unigrams, list(liked) + extra)


def propagated(liked, disliked, alpha=0.5, steps=10):
    """Label propagation (personalized PageRank) over the 30-neighbour graph: from the likes, less from the dislikes."""
    seed = np.zeros(N)
    seed[list(liked)] = 1.0 / len(liked)
    if disliked:
        seed[list(disliked)] -= 0.5 / len(disliked)
    f = seed.copy()
    for _ in range(steps):
        f = (1 - alpha) * seed + alpha * (graph30.T @ f)
    return f


methods = {
    "no learning (BM25 continued)": lambda text, first, liked, disliked: first,
    "Rocchio (SMART 1 / 0.75 / 0.15)": rocchio,
    "linear SVM, unigrams": lambda text, first, liked, disliked: svm(unigrams, liked),
    "linear SVM, arxiv-sanity's vectorizer": lambda text, first, liked, disliked: svm(sanity, liked),
    "linear SVM, unigrams + bigrams": lambda text, first, liked, disliked: svm(bigrams, liked),
    "linear SVM + LSA 200": lambda text, first, liked, disliked: svm(lsa, liked),
    "linear SVM, dislikes x3": lambda text, first, liked, disliked: svm(unigrams, liked, disliked, 3.0),
    "linear SVM + BM25 of the query": lambda text, first, liked, disliked: z(svm(unigrams, liked)) + 0.5 * z(first),
    "linear SVM, smoothed over 30 neighbours": lambda text, first, liked, disliked: smoothed(z(svm(unigrams, liked))),
    "linear SVM + 3 pseudo-relevant": pseudo,
    "pairwise ranker, likes over dislikes": lambda text, first, liked, disliked: pairwise(unigrams, liked, disliked),
    "pairwise ranker, likes over dislikes + 200 unshown": lambda text, first, liked, disliked: pairwise(
        unigrams, liked, disliked, 200),
    "label propagation, 30 neighbours": lambda text, first, liked, disliked: propagated(liked, disliked),
    "linear SVM + label propagation (z)": lambda text, first, liked, disliked: z(svm(unigrams, liked))
    + 0.5 * z(propagated(liked, disliked)),
    "nearest liked paper - 0.5 nearest disliked": lambda text, first, liked, disliked: cosine[:, liked].max(1)
    - 0.5 * (cosine[:, disliked].max(1) if disliked else 0),
}
if embeddings is not None:
    dense = {weight: with_embeddings(weight) for weight in (0.3, 1.0)}
    methods.update({
        "linear SVM on embeddings alone": lambda text, first, liked, disliked: svm(csr_matrix(embeddings), liked),
        "linear SVM, unigrams + embeddings x0.3": lambda text, first, liked, disliked: svm(dense[0.3], liked),
        "linear SVM, unigrams + embeddings x1": lambda text, first, liked, disliked: svm(dense[1.0], liked),
        "linear SVM + embedding Rocchio (z)": lambda text, first, liked, disliked: z(svm(unigrams, liked))
        + 0.5 * z(embeddings @ (embeddings[liked].mean(0) - embeddings.mean(0))),
    })


def run(name, method):
    found = np.zeros(5)
    for text, rel in users:
        first = bm25(text)
        shown = list(np.argsort(-first, kind="stable")[:10])
        liked = [i for i in shown if i in rel]
        disliked = [i for i in shown if i not in rel]
        found[0] += len(liked)
        for r in range(1, 5):
            scores = (method(text, first, liked, disliked) if liked else first).astype(float)
            scores[shown] = -np.inf
            page = list(np.argsort(-scores, kind="stable")[:10])
            shown += page
            liked += [i for i in page if i in rel]
            disliked += [i for i in page if i not in rel]
            found[r] += sum(i in rel for i in page)
    found /= len(users)
    print(f"{name:42s}" + "".join(f"  {p / 10:.4f}" for p in found) + f"  {found.sum():6.2f}", flush=True)


def in_the_radars_place(report, names):
    by_user = {user["id"]: user["shown"] for user in report["perUser"]}
    if set(by_user) != set(ids):
        sys.exit(f"--after: the report's users are not this collection's ({len(by_user)} against {len(ids)})")
    print(f"{root}: {N} documents, {len(users)} users; relevant found in round k in the radar's place "
          "(fitted to its likes and dislikes of rounds 1…k-1, over the papers it had not shown)")
    print(f"{'':42s}" + "".join(f"  round {k + 1:d}" for k in range(1, 5)))
    radar, left = "ahub radar (its own page)", "relevant papers left"
    chosen, hindsight = "the method that ordered page k-1 best", "the best method per user, in hindsight"
    mean = "the mean of the methods' z-scores"
    rows = {name: [0] * 4 for name in [radar, left] + names + [mean, chosen, hindsight]}
    for q, (text, rel) in zip(ids, users):
        pages = [[index[doc] for doc in page if doc in index] for page in by_user[q]]
        first = bm25(text)
        before = {}  # each method's scores of the round before, to choose by how it ordered that round's page
        for k in range(1, 5):
            shown = [i for page in pages[:k] for i in page]
            liked = [i for i in shown if i in rel]
            disliked = [i for i in shown if i not in rel]
            found = {radar: sum(i in rel for i in pages[k])}
            rows[left][k - 1] += len(rel - set(shown))

            def page_found(s):  # relevant papers on the page these scores would show
                s = s.copy()
                s[shown] = -np.inf
                return sum(i in rel for i in np.argsort(-s, kind="stable")[:10])

            scores = {}
            for name in names:
                if not liked:  # as the baselines: nothing liked yet, the radar's page stands
                    found[name] = found[radar]
                    continue
                scores[name] = methods[name](text, first, liked, disliked).astype(float)
                found[name] = page_found(scores[name])
            # An ensemble: every method's scores z-scored, averaged.
            found[mean] = page_found(sum(map(z, scores.values()))) if scores else found[radar]
            # A selector a radar could run: the method whose ranking of the round before put that page's
            # liked papers above its disliked ones most often (AUC); the radar's own page when none can say.
            best, best_auc = radar, -1.0
            for name, s in before.items():
                pos = [s[i] for i in pages[k - 1] if i in rel]
                neg = [s[i] for i in pages[k - 1] if i not in rel]
                if pos and neg:
                    auc = np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg])
                    if auc > best_auc:
                        best, best_auc = name, auc
            found[chosen] = found[best]
            found[hindsight] = max(found[name] for name in [radar] + names)
            for name, count in found.items():
                rows[name][k - 1] += count
            before = scores
    for name, counts in rows.items():
        print(f"{name:42s}" + "".join(f"  {c:7d}" for c in counts), flush=True)


unknown = [name for name in args[1:] if name not in methods]
if unknown:
    sys.exit("unknown method " + ", ".join(unknown) + "; methods: " + "; ".join(methods))
if after is not None:
    in_the_radars_place(after, args[1:] or [name for name in methods if name != "no learning (BM25 continued)"])
    sys.exit(0)
print(f"{root}: {N} documents, {len(users)} users; P@10 rounds 1-5, found in 50")
for name in args[1:] or methods:
    run(name, methods[name])
