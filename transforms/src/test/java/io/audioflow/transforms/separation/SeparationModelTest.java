package io.audioflow.transforms.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bag's invariants and each core's share of a source (weights[m][s] / sum over m of weights[.][s]). */
class SeparationModelTest {
  private static final List<String> FOUR = List.of("drums", "bass", "other", "vocals");

  /** A core that only has a geometry: these tests never run one. */
  private static SeparationCore core(List<String> sources, int sampleRate, int segment) {
    SeparationGeometry geometry = new SeparationGeometry(sources, sampleRate, 2, segment, 4096);
    return new SeparationCore() {
      @Override
      public SeparationGeometry geometry() {
        return geometry;
      }

      @Override
      public Inputs inputs(int capacity) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void run(int batch, Outputs outputs) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void sharesAreEachCoresWeightOverTheSourcesSum() {
    SeparationModel model = new SeparationModel(List.of(core(FOUR, 44100, 22050), core(FOUR, 44100, 17640)),
        List.of(List.of(1.0, 0.25, 0.6, 0.0), List.of(0.5, 1.0, 0.4, 2.0)));
    assertEquals(1 / 1.5, model.share(0, 0), 1e-12);
    assertEquals(0.5 / 1.5, model.share(1, 0), 1e-12);
    assertEquals(0.0, model.share(0, 3));
    assertEquals(1.0, model.share(1, 3));
    assertEquals(1.0, SeparationModel.of(core(FOUR, 44100, 22050)).share(0, 2));
  }

  @Test
  void coresThatDisagreeOrWeightsThatDoNotFitAreRefused() {
    SeparationCore four = core(FOUR, 44100, 22050);
    List<Double> ones = List.of(1.0, 1.0, 1.0, 1.0);
    IllegalArgumentException sources = assertThrows(IllegalArgumentException.class, () -> new SeparationModel(
        List.of(four, core(List.of("drums", "bass", "other", "vocals", "guitar", "piano"), 44100, 22050)),
        List.of(ones, List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0))));
    assertTrue(sources.getMessage().contains("core 1 separates"), sources.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SeparationModel(List.of(four, core(FOUR, 48000, 22050)), List.of(ones, ones)));
    assertThrows(IllegalArgumentException.class, () -> new SeparationModel(List.of(four), List.of(ones, ones)));
    assertThrows(IllegalArgumentException.class, () -> new SeparationModel(List.of(four), List.of(List.of(1.0))));
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> new SeparationModel(List.of(four), List.of(List.of(1.0, 0.0, 1.0, 1.0))));
    assertTrue(zero.getMessage().contains("bass"), zero.getMessage());
  }
}
