package io.audioflow.transforms.mel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class MelConfigTest {
  @Test
  void presetsAndTheirIds() {
    assertEquals(
        "sr=16000 n_fft=512 win=512 hop=256 window=hann center=true pad=reflect power=2.0 n_mels=96 fmin=0.0"
            + " fmax=8000.0 scale=slaney norm=slaney scaling=log10",
        MelConfig.musicnn().id());
    assertEquals(
        "sr=22050 n_fft=2048 win=2048 hop=512 window=hann center=true pad=constant power=2.0 n_mels=128 fmin=0.0"
            + " fmax=11025.0 scale=slaney norm=slaney scaling=db",
        MelConfig.librosa(22050).id());
  }

  @Test
  void everyWitherChangesOnlyItsField() {
    MelConfig base = MelConfig.librosa(44100);
    List<MelConfig> changed = List.of(
        base.withSampleRate(48000), base.withNFft(4096), base.withWinLength(1024), base.withHopLength(256),
        base.withCenter(false), base.withPadMode(PadMode.REFLECT), base.withPower(1.0), base.withNMels(64),
        base.withFmin(20.0), base.withFmax(8000.0), base.withMelScale(MelScale.HTK), base.withNorm(MelNorm.NONE),
        base.withScaling(MelScaling.LOG10));
    for (MelConfig c : changed) {
      assertNotEquals(base, c);
      assertNotEquals(base.id(), c.id());
      String[] a = base.id().split(" ");
      String[] b = c.id().split(" ");
      int differing = 0;
      for (int i = 0; i < a.length; i++) {
        differing += a[i].equals(b[i]) ? 0 : 1;
      }
      assertEquals(1, differing, c.id());
    }
    assertEquals(
        new MelConfig(16000, 1024, 800, 160, false, PadMode.CONSTANT, 1.0, 40, 50.0, 7600.0, MelScale.HTK,
            MelNorm.NONE, MelScaling.POWER),
        MelConfig.musicnn().withNFft(1024).withWinLength(800).withHopLength(160).withCenter(false)
            .withPadMode(PadMode.CONSTANT).withPower(1.0).withNMels(40).withFmin(50.0).withFmax(7600.0)
            .withMelScale(MelScale.HTK).withNorm(MelNorm.NONE).withScaling(MelScaling.POWER));
  }

  @Test
  void invalidConfigsAreRejectedWithTheReason() {
    MelConfig ok = MelConfig.musicnn();
    rejects(() -> ok.withWinLength(513), "winLength");
    rejects(() -> ok.withWinLength(0), "winLength");
    rejects(() -> ok.withFmax(8000.5), "fmax");
    rejects(() -> ok.withSampleRate(8000), "fmax"); // fmax 8000 > 4000: lower fmax first
    rejects(() -> ok.withHopLength(0), "hopLength");
    rejects(() -> ok.withNFft(1), "nFft");
    rejects(() -> ok.withNMels(0), "nMels");
    rejects(() -> ok.withPower(0), "power");
    rejects(() -> ok.withPower(Double.NaN), "power");
    rejects(() -> ok.withFmin(-1), "fmin");
    rejects(() -> ok.withFmin(8000), "fmin");
    rejects(() -> ok.withSampleRate(0), "sampleRate");
    assertThrows(NullPointerException.class, () -> ok.withPadMode(null));
    assertEquals(4000.0, ok.withFmax(4000).withSampleRate(8000).fmax());
  }

  @Test
  void scalings() {
    assertEquals(0.5, MelScaling.POWER.apply(0.5));
    assertEquals(0.0, MelScaling.DB.apply(1.0));
    assertEquals(20.0, MelScaling.DB.apply(100.0), 1e-12);
    assertEquals(-100.0, MelScaling.DB.apply(0.0));
    assertEquals(-100.0, MelScaling.DB.apply(1e-12));
    assertEquals(0.0, MelScaling.LOG10.apply(0.0));
    assertEquals(Math.log10(2), MelScaling.LOG10.apply(1e-4), 1e-15);
  }

  private static void rejects(Supplier<MelConfig> make, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }
}
