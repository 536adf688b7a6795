package io.audioflow.transforms.tagging;

/** What happens to the frames after the last whole patch. */
public enum LastPatch {
  /** Zero-pad them into one more patch (zero is silence in {@code log10(1 + 10000 S)}), so short files get a patch. */
  PAD,
  /** Drop them: a file shorter than one patch gets no patch and null probabilities. */
  DISCARD
}
