package io.audioflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.analysis.TrackAnalyzer;
import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.mel.MelNorm;
import io.audioflow.transforms.mel.MelScale;
import io.audioflow.transforms.mel.MelScaling;
import io.audioflow.transforms.mel.PadMode;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class MelSettingsTest {
  static TrackAnalyzer.Settings settings(String... args) {
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--output=unused";
    return MelSettings.from(PipelineOptionsFactory.fromArgs(all).as(AudioflowOptions.class));
  }

  @Test
  void musicnnIsTheDefaultAndFixesTheRate() {
    TrackAnalyzer.Settings s = settings();
    assertEquals(MelConfig.musicnn(), s.melFor(44100));
    assertEquals(MelConfig.musicnn(), s.melFor(8000));
  }

  @Test
  void librosaKeepsEachFilesRateWithFmaxAtNyquist() {
    TrackAnalyzer.Settings s = settings("--melPreset=librosa");
    assertEquals(MelConfig.librosa(44100), s.melFor(44100));
    assertEquals(MelConfig.librosa(8000), s.melFor(8000));
    assertEquals(MelConfig.librosa(22050), settings("--melPreset=librosa", "--sampleRate=22050").melFor(48000));
  }

  @Test
  void everyOverrideApplies() {
    MelConfig c =
        settings("--melPreset=musicnn", "--sampleRate=22050", "--nFft=1024", "--winLength=800", "--hopLength=300",
                "--nMels=40", "--fmin=30", "--fmax=9000", "--melScale=htk", "--melNorm=none", "--center=false",
                "--padMode=constant", "--power=1", "--melScaling=db")
            .melFor(44100);
    assertEquals(
        new MelConfig(22050, 1024, 800, 300, false, PadMode.CONSTANT, 1.0, 40, 30, 9000, MelScale.HTK,
            MelNorm.NONE, MelScaling.DB),
        c);
    assertTrue(c.id().contains("n_fft=1024"), c.id());
  }

  @Test
  void nFftAloneCarriesTheWindowWithIt() {
    MelConfig c = settings("--melPreset=librosa", "--nFft=4096").melFor(44100);
    assertEquals(4096, c.winLength());
    assertFalse(settings("--melPreset=librosa", "--fmax=5000").fmaxAtNyquist());
  }

  @Test
  void badValuesSayWhatIsAllowed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> settings("--melScale=bark"));
    assertTrue(e.getMessage().contains("--melScale") && e.getMessage().contains("htk"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> settings("--melPreset=vggish"));
    assertTrue(e.getMessage().contains("musicnn or librosa"), e.getMessage());
  }
}
