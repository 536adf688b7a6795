package io.audioflow.transforms.analysis;

import io.audioflow.transforms.features.Feature;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one decode pass computes: the mel spectrogram, loudness and any of the classic {@link Feature}s.
 *
 * @param classic the classic features; an {@link EnumSet} copy, so it serialises with the job's settings
 */
public record FeatureSelection(boolean mel, boolean loudness, Set<Feature> classic) implements Serializable {
  public static final String MEL = "mel";
  public static final String LOUDNESS = "loudness";
  public static final String ALL = "all";

  public FeatureSelection {
    classic = classic.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(classic);
    if (!mel && !loudness && classic.isEmpty()) {
      throw new IllegalArgumentException("no feature selected");
    }
  }

  /** Everything: mel, loudness and every classic feature (the job's default). */
  public static FeatureSelection all() {
    return new FeatureSelection(true, true, EnumSet.allOf(Feature.class));
  }

  /**
   * Parses a comma-separated list of {@link #names()} ({@code tempo} also names {@code tempo_bpm}), or
   * {@code all}.
   */
  public static FeatureSelection parse(String list) {
    boolean mel = false;
    boolean loudness = false;
    Set<Feature> classic = EnumSet.noneOf(Feature.class);
    for (String raw : list.split(",")) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      switch (name) {
        case ALL -> {
          return all();
        }
        case MEL -> mel = true;
        case LOUDNESS -> loudness = true;
        case "tempo" -> classic.add(Feature.TEMPO);
        default -> classic.add(feature(name));
      }
    }
    if (!mel && !loudness && classic.isEmpty()) {
      throw new IllegalArgumentException("--features names no feature; choose from " + String.join(", ", names()));
    }
    return new FeatureSelection(mel, loudness, classic);
  }

  private static Feature feature(String name) {
    try {
      return Feature.byId(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown feature '" + name + "' in --features; choose from " + String.join(", ", names()) + " or all");
    }
  }

  /** The names {@link #parse} accepts. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(List.of(MEL, LOUDNESS));
    for (Feature f : Feature.values()) {
      names.add(f.id());
    }
    return Collections.unmodifiableList(names);
  }
}
