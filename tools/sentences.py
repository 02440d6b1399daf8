"""Plain English text on stdin -> one sentence per line on stdout: lower-cased, tokens separated
by single spaces, punctuation-only tokens dropped, underscores (italics) and quotes removed.
Blank lines end paragraphs; "Chapter N" headings and the title lines are kept as sentences."""
import re
import sys

ABBREVIATIONS = {"mr", "mrs", "dr", "st", "messrs", "esq"}
TOKEN = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")


def sentences(paragraph):
    words = paragraph.split()
    current = []
    for w in words:
        current.append(w)
        bare = re.sub(r"[\"'_()\[\]]", "", w)
        if re.search(r"[.!?]$", bare) and bare.rstrip(".!?").lower() not in ABBREVIATIONS:
            yield " ".join(current)
            current = []
    if current:
        yield " ".join(current)


def tokens(sentence):
    return TOKEN.findall(sentence.lower().replace("_", " "))


def main():
    paragraph = []
    lines = sys.stdin.read().splitlines() + [""]
    for line in lines:
        if line.strip():
            paragraph.append(line.strip())
            continue
        if paragraph:
            for s in sentences(" ".join(paragraph)):
                t = tokens(s)
                if t:
                    print(" ".join(t))
            paragraph = []


main()
