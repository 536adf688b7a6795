package io.audioflow.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;

/** The bench's time to the first finished file comes from the job's distribution metric, when it reports one. */
class FirstFileMetricTest {
  @Test
  void theFirstFileIsTheLeastValueOfTheJobsDistribution() {
    assertEquals(OptionalLong.of(50), Benchmark.firstFileMs(run("file_finished_ms_after_start")));
  }

  @Test
  void aJobWithoutTheDistributionHasNoFirstFile() {
    assertEquals(OptionalLong.empty(), Benchmark.firstFileMs(run("some_other_distribution")));
  }

  /** A Direct-runner job that reports 120, 50 and 300 ms to the distribution {@code audioflow/<name>}. */
  private static PipelineResult run(String name) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    pipeline.apply(Create.of(120L, 50L, 300L)).apply(ParDo.of(new DoFn<Long, Void>() {
      private final Distribution finished = Metrics.distribution("audioflow", name);

      @ProcessElement
      public void process(@Element Long ms) {
        finished.update(ms);
      }
    }));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }
}
