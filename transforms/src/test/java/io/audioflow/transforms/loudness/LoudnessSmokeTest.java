package io.audioflow.transforms.loudness;

import io.audioflow.transforms.testing.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoudnessSmokeTest {
  @Test
  void corpus() throws Exception {
    for (String line : Files.readAllLines(SharedTestData.resolve("corpus/loudness.tsv"))) {
      if (line.startsWith("#") || line.startsWith("file")) continue;
      String[] c = line.split("\t");
      Path p = SharedTestData.resolve("corpus/" + c[0]); if (!c[0].endsWith(".wav") && !c[0].endsWith(".aiff")) p = Path.of("/tmp/lt/dec/" + p.getFileName() + ".wav");
      PcmFiles.Pcm pcm;
      try { pcm = PcmFiles.read(p); } catch (Exception e) { System.out.println(c[0] + " unreadable " + e); continue; }
      LoudnessMeter m = new LoudnessMeter(pcm.sampleRate(), ChannelWeights.forLayout(pcm.channelMask(), pcm.planar().length));
      long t0 = System.nanoTime();
      m.accept(pcm.planar(), pcm.frames());
      LoudnessResult r = m.finish();
      System.out.printf("%-45s %s | %s ms=%.1f mask=%x%n", c[0], line.substring(c[0].length()).trim().replace('\t', ' '), r, (System.nanoTime()-t0)/1e6, pcm.channelMask());
    }
  }
}
