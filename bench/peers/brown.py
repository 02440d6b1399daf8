"""The Brown corpus as the character language-model peers (W5, W6) read it: brown.txt from
$GLASSBOX_BENCH_DATA, else ../shared/data beside the project; the first 90% of its characters,
their sorted vocabulary, and the text as ids."""
import os

import torch


def train_ids():
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.environ.get("GLASSBOX_BENCH_DATA") or os.path.join(here, "..", "..", "..", "shared", "data")
    text = open(os.path.join(data, "brown.txt"), encoding="utf-8").read()
    train = text[:int(len(text) * 0.9)]
    chars = sorted(set(train))
    index = {ch: i for i, ch in enumerate(chars)}
    return chars, torch.tensor([index[ch] for ch in train], dtype=torch.long)
