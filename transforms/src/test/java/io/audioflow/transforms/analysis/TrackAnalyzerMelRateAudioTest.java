package io.audioflow.transforms.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.audioflow.transforms.mel.MelConfig;
import io.audioflow.transforms.testing.SharedTestData;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mel-rate audio tap gets the resampled stream the mel spectrogram reads, and a tap that stream cannot serve is
 * refused when it is set, before any file.
 */
class TrackAnalyzerMelRateAudioTest {
  private static final FeatureSelection ALL = FeatureSelection.all();

  private static TrackAnalyzer.Settings settings(MelConfig mel, boolean nativeRate, FeatureSelection selection) {
    return new TrackAnalyzer.Settings(mel, nativeRate, nativeRate, 86_400, 0, selection);
  }

  @Test
  void theTapGetsTheMelSpectrogramsStream() throws Exception {
    Path file = SharedTestData.resolve("corpus/synthetic/sine440_s16_44100_mono_5s.wav");
    Tap tap = new Tap(16_000);
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings(MelConfig.musicnn(), false, ALL))) {
      analyzer.setMelRateAudioListener(tap);
      for (int run = 0; run < 2; run++) {
        TrackAnalysis t;
        try (FileChannel channel = FileChannel.open(file)) {
          t = analyzer.analyze(channel, Files.size(file), file.toString(), null, null);
        }
        assertEquals(List.of(16_000), tap.starts);
        assertTrue(tap.finished);
        assertEquals(t.melFrames(), MelConfig.musicnn().stft().frames(tap.samples), "the mel's own samples");
        tap.starts.clear();
      }
    }
  }

  @Test
  void aTapTheMelStreamCannotServeIsRefusedWhenSet() {
    MelConfig musicnn = MelConfig.musicnn();
    MelConfig librosa = MelConfig.librosa(22_050);
    assertRefused(settings(musicnn, false, ALL), 22_050, "at 22050 Hz", "runs at 16000 Hz");
    assertRefused(settings(musicnn, true, ALL), 16_000, "at 16000 Hz", "each file's own rate");
    assertRefused(settings(musicnn, false, FeatureSelection.parse("rms,loudness")), 16_000, "not computed");
    // The librosa preset's STFT is the features': files at its rate have no resampled mel stream.
    assertRefused(settings(librosa, false, ALL), 22_050, "at 22050 Hz", "features' STFT");
    try (TrackAnalyzer mel = new TrackAnalyzer(settings(librosa, false, FeatureSelection.parse("mel")));
        TrackAnalyzer none = new TrackAnalyzer(settings(musicnn, true, ALL))) {
      mel.setMelRateAudioListener(new Tap(22_050));
      none.setMelRateAudioListener(null);
    }
  }

  private static void assertRefused(TrackAnalyzer.Settings settings, int rate, String... messageParts) {
    try (TrackAnalyzer analyzer = new TrackAnalyzer(settings)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> analyzer.setMelRateAudioListener(new Tap(rate)));
      for (String part : messageParts) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
      }
    }
  }

  private static final class Tap implements TrackAnalyzer.MelRateAudioListener {
    final int rate;
    final List<Integer> starts = new ArrayList<>();
    long samples;
    boolean finished;

    Tap(int rate) {
      this.rate = rate;
    }

    @Override
    public int sampleRate() {
      return rate;
    }

    @Override
    public void start(int sampleRate) {
      starts.add(sampleRate);
      samples = 0;
      finished = false;
    }

    @Override
    public void accept(float[] mono, int offset, int length) {
      samples += length;
    }

    @Override
    public void finish() {
      finished = true;
    }
  }
}
