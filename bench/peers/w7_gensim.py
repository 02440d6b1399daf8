#!/usr/bin/python3
"""W7 with gensim: word2vec skip-gram, negative 5, window 5, dim 100, min_count 5, sample 1e-3,
5 epochs on the Brown corpus; raw words/s over the training, then WordSim-353 Spearman and
Google-analogy accuracy restricted to the 30,000 most frequent words.

Usage: w7_gensim.py [--quick] [--workers N] [--seed S] [--data DIR]   (DIR holds brown.txt,
wordsim353.tsv and questions-words.txt; default $GLASSBOX_BENCH_DATA, else ../shared/data beside
the project). --quick: 1 epoch.
Needs: apt-get install python3-gensim python3-scipy
"""
import argparse
import datetime
import json
import logging
import os
import time

import gensim
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--quick", action="store_true")
ap.add_argument("--workers", type=int, default=2)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--data", default=os.environ.get("GLASSBOX_BENCH_DATA") or os.path.join(here, "..", "..", "..", "shared", "data"))
args = ap.parse_args()
logging.disable(logging.CRITICAL)

corpus = os.path.join(args.data, "brown.txt")
epochs = 1 if args.quick else 5
sentences = LineSentence(corpus)
model = Word2Vec(vector_size=100, window=5, min_count=5, sample=1e-3, negative=5, sg=1, hs=0,
                 workers=args.workers, seed=args.seed)
model.build_vocab(sentences)
raw = model.corpus_total_words
t = time.perf_counter()
model.train(sentences, total_examples=model.corpus_count, total_words=raw, epochs=epochs)
wall = time.perf_counter() - t
kv = model.wv
ws = kv.evaluate_word_pairs(os.path.join(args.data, "wordsim353.tsv"))
score, sections = kv.evaluate_word_analogies(os.path.join(args.data, "questions-words.txt"), restrict_vocab=30000)
total = sections[-1]
asked = len(total["correct"]) + len(total["incorrect"])
print(json.dumps({
    "id": "W7", "peer": "gensim " + gensim.__version__,
    "words_per_s": round(raw * epochs / wall), "wall_s": round(wall, 3),
    "wordsim_spearman": round(float(ws[1][0]), 4), "wordsim_oov_pct": round(float(ws[2]), 2),
    "analogy_acc": round(float(score), 4), "analogy_asked": asked,
    "threads": args.workers, "epochs": epochs, "date": datetime.date.today().isoformat()}))
