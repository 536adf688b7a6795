#!/usr/bin/env bash
# Downloads Essentia's MusiCNN extractor and a few classifier heads on its embeddings (ONNX + metadata JSON), as
# the model zoo publishes them, and writes a <model>.onnx.sha256 sidecar that audioflow checks before every use.
#
#   tools/models/download-essentia-models.sh [DEST_DIR]      (default: ./models-essentia)
#
# Checksums: a model listed in tools/models/essentia-models.sha256 must match it or the script fails. A model not
# listed there is trusted on first download: its hash is printed and pinned in the sidecar, so a later change on the
# server (or a corrupt copy) fails the job instead of silently changing results. Needs curl and sha256sum.
set -euo pipefail

BASE="${ESSENTIA_MODELS_URL:-https://essentia.upf.edu/models}"
DEST="${1:-models-essentia}"
PINNED="$(cd "$(dirname "$0")" && pwd)/essentia-models.sha256"

MODELS=(
  "feature-extractors/musicnn/msd-musicnn-1"
  "classification-heads/danceability/danceability-msd-musicnn-1"
  "classification-heads/mood_happy/mood_happy-msd-musicnn-1"
  "classification-heads/mood_sad/mood_sad-msd-musicnn-1"
  "classification-heads/mood_acoustic/mood_acoustic-msd-musicnn-1"
  "classification-heads/genre_tzanetakis/genre_tzanetakis-msd-musicnn-1"
)

mkdir -p "$DEST"
manifests=()
for path in "${MODELS[@]}"; do
  name="$(basename "$path")"
  for ext in onnx json; do
    curl --fail --location --silent --show-error --retry 3 -o "$DEST/$name.$ext.part" "$BASE/$path.$ext"
    mv "$DEST/$name.$ext.part" "$DEST/$name.$ext"
  done
  actual="$(sha256sum "$DEST/$name.onnx" | cut -d' ' -f1)"
  expected="$(grep -E "^[0-9a-f]{64} +\*?$name\.onnx$" "$PINNED" 2>/dev/null | cut -d' ' -f1 || true)"
  if [[ -n "$expected" && "$expected" != "$actual" ]]; then
    echo "error: $name.onnx has SHA-256 $actual, expected $expected (from $PINNED)" >&2
    exit 1
  fi
  [[ -n "$expected" ]] || echo "note: $name.onnx is not pinned in $PINNED; pinning what was downloaded: $actual" >&2
  echo "$actual  $name.onnx" > "$DEST/$name.onnx.sha256"
  manifests+=("$(cd "$DEST" && pwd)/$name.json")
done

echo "Downloaded to $DEST. Tag a folder with:"
echo "  bin/audioflow --input='music/*.mp3' --output=out --models=$(IFS=,; echo "${manifests[*]}")"
