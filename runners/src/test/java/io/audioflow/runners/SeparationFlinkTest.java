package io.audioflow.runners;

import io.audioflow.pipeline.JobRunner;
import io.audioflow.pipeline.SeparationJobTest;
import io.audioflow.transforms.testing.SharedTestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 4 on embedded Flink: the --separate job on the shared corpus, checked as on the Direct runner. */
class SeparationFlinkTest {
  @TempDir Path output;

  @Test
  void corpusGetsStemsForEveryDecodableTrackOnFlink() throws Exception {
    List<String> args = new ArrayList<>(List.of(SeparationJobTest.args(SharedTestData.resolve("corpus") + "/*/*")));
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    JobRunner.run(output, args.toArray(String[]::new));
    SeparationJobTest.assertStems(output);
  }
}
