#!/bin/sh
# Makes the embedded word2vec corpus, models/src/main/resources/corpora/pride-and-prejudice.txt.gz:
# Jane Austen's "Pride and Prejudice" (1813, public domain), one sentence per line, lower-cased,
# tokens separated by single spaces, punctuation dropped (the same shape as the Brown corpus file).
# The text comes from Debian's r-cran-janeaustenr (Project Gutenberg's edition):
#   sudo apt-get install --no-install-recommends r-base-core r-cran-janeaustenr
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/models/src/main/resources/corpora/pride-and-prejudice.txt.gz"
mkdir -p "$(dirname "$out")"
Rscript -e 'library(janeaustenr); writeLines(prideprejudice)' \
  | /usr/bin/python3 "$here/tools/sentences.py" \
  | gzip -9n > "$out"
echo "wrote $out: $(gzip -dc "$out" | wc -l) sentences, $(gzip -dc "$out" | wc -w) tokens"
