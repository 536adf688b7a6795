#!/usr/bin/env bash
# librosa's speed on this machine, one thread, in the anchors' method (see bench.py). Usage:
#   tools/librosa-speed/run.sh [--pythonPath=FILE] [--features] [--melInputs=FILE --melPreset=musicnn|librosa] [--serve]
# Uses an importable librosa (pip install librosa==0.11.0), else LIBROSA_SRC=<a librosa 0.11.0 source tree>. Where
# librosa's pure-Python dependencies come from Debian packages (python3-soundfile, -audioread, -joblib, -pooch,
# -msgpack, -lazy-loader), only those are put on the path, so that the interpreter's own numpy and scipy are timed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
path="${LIBROSA_SRC:-}"
if ! python3 -c 'import librosa' 2>/dev/null; then
  if [[ -z "$path" ]]; then
    echo "librosa is not importable: pip install librosa==0.11.0, or set LIBROSA_SRC to its source tree" >&2
    exit 2
  fi
  deps="$(mktemp -d)"
  trap 'rm -rf "$deps"' EXIT
  for m in soundfile.py _soundfile.py _cffi_backend.cpython-311-x86_64-linux-gnu.so audioread joblib pooch \
      msgpack lazy_loader packaging appdirs.py platformdirs requests urllib3 idna charset_normalizer certifi; do
    if [[ -e "/usr/lib/python3/dist-packages/$m" ]] && ! python3 -c "import ${m%%.*}" 2>/dev/null; then
      ln -s "/usr/lib/python3/dist-packages/$m" "$deps/$m"
    fi
  done
  path="$path:$deps"
fi
PYTHONPATH="$path${PYTHONPATH:+:$PYTHONPATH}" exec python3 "$here/bench.py" "$@"
