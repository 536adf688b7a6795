package io.audioflow.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.audioflow.pipeline.JobRunner;
import io.audioflow.pipeline.SeparationSpansJobTest;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 24's acceptance 1 on embedded Flink: spans reassemble to the unsplit stems; a failing span is contained. */
class SeparationSpansFlinkTest {
  private static final List<String> FLINK = List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");

  @TempDir Path dir;

  @Test
  void spansGiveTheUnsplitStemsAndRowsOnFlink() throws Exception {
    Path input = SeparationSpansJobTest.input(dir);
    JobRunner.run(dir.resolve("whole"), flink(SeparationSpansJobTest.args(input, 0)));
    SeparationSpansJobTest.leaveStalePart(dir.resolve("split"), input.resolve(SeparationSpansJobTest.LONG));
    PipelineResult split = JobRunner.run(dir.resolve("split"), flink(SeparationSpansJobTest.args(input, 5)));
    assertEquals(7, SeparationSpansJobTest.counter(split, "separation_spans"));
    SeparationSpansJobTest.assertSameAsUnsplit(dir.resolve("whole"), dir.resolve("split"));
  }

  @Test
  void aFailingSpanGivesErrorRowsAndLeavesNoStemsOrPartsOnFlink() throws Exception {
    Path input = SeparationSpansJobTest.input(dir);
    Path output = dir.resolve("out");
    SeparationSpansJobTest.blockSpan(output, input.resolve(SeparationSpansJobTest.LONG));
    JobRunner.run(output, flink(SeparationSpansJobTest.args(input, 5)));
    SeparationSpansJobTest.assertSpanFailureHandled(output);
  }

  private static String[] flink(List<String> args) {
    args.addAll(FLINK);
    return args.toArray(String[]::new);
  }
}
