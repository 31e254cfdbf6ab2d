"""Python reference for bench/corpus_vs_python.ts: load the Brown corpus and count trigrams.

Same files (cats.txt order), same tokenisation as lib/text/corpus.ts (word = the field before its last
"/", lowercased; one sentence per non-empty line) and the same padding as lib/text/ngram.ts (two <s>,
one </s>), counted with a plain collections.Counter. Prints one JSON line: the seconds of each run
(timed inside Python, so interpreter start-up is not counted) and the totals as a cross-check.

Usage: python bench/corpus_counter.py CORPUS_DIR RUNS
"""

import collections
import json
import os
import sys
import time


def load_and_count(directory):
    with open(os.path.join(directory, "cats.txt"), encoding="utf-8") as cats:
        ids = [line.split()[0] for line in cats if line.strip()]
    counts = collections.Counter()
    sentences = tokens = 0
    for file_id in ids:
        with open(os.path.join(directory, file_id), encoding="utf-8") as f:
            for line in f:
                fields = line.split()
                if not fields:
                    continue
                words = [field.rsplit("/", 1)[0].lower() for field in fields]
                sentences += 1
                tokens += len(words)
                padded = ["<s>", "<s>"] + words + ["</s>"]
                counts.update(zip(padded, padded[1:], padded[2:]))
    return counts, sentences, tokens


def main():
    directory, runs = sys.argv[1], int(sys.argv[2])
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        counts, sentences, tokens = load_and_count(directory)
        seconds.append(time.perf_counter() - start)
    after = sum(c for (a, b, _), c in counts.items() if (a, b) == ("to", "the"))
    print(json.dumps({
        "seconds": seconds,
        "sentences": sentences,
        "tokens": tokens,
        "distinct_trigrams": len(counts),
        "to_the": after,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
