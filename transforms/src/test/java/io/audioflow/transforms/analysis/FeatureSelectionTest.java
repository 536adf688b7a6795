package io.audioflow.transforms.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.features.Feature;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class FeatureSelectionTest {
  @Test
  void allSelectsEverything() {
    assertEquals(new FeatureSelection(true, true, EnumSet.allOf(Feature.class)), FeatureSelection.parse("all"));
    assertEquals(FeatureSelection.all(), FeatureSelection.parse(" mel, ALL "));
  }

  @Test
  void listsSelectByLibrosaName() {
    FeatureSelection s = FeatureSelection.parse("mel, mfcc,tempo,spectral_centroid");
    assertTrue(s.mel());
    assertFalse(s.loudness());
    assertEquals(EnumSet.of(Feature.MFCC, Feature.TEMPO, Feature.CENTROID), s.classic());
    assertEquals(EnumSet.of(Feature.TEMPO), FeatureSelection.parse("tempo_bpm").classic());
    assertTrue(FeatureSelection.parse("mel").classic().isEmpty());
  }

  @Test
  void unknownOrEmptyListsAreRefusedWithTheValidNames() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FeatureSelection.parse("mel,centroid"));
    assertTrue(e.getMessage().contains("unknown feature 'centroid'"), e.getMessage());
    assertTrue(e.getMessage().contains("spectral_centroid"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FeatureSelection.parse(" , "));
  }
}
