package io.audioflow.runners;

import io.audioflow.pipeline.JobRunner;
import io.audioflow.pipeline.SeparationJobTest;
import io.audioflow.transforms.testing.SeparationFixtures;
import io.audioflow.transforms.testing.SharedTestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /** Issue 21's acceptance 3 on embedded Flink: the bag and the six-source model against apply_model. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"htdemucs-bag.json", "htdemucs-6s-small.json"})
  void bagsAndSixSourcesMatchApplyModelOnFlink(String name) throws Exception {
    Path manifest = SeparationFixtures.DIR.resolve(name);
    List<String> args = new ArrayList<>(List.of(SeparationJobTest.referenceArgs(manifest)));
    args.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
    JobRunner.run(output, args.toArray(String[]::new));
    SeparationJobTest.assertMatchesReference(output, manifest);
  }
}
