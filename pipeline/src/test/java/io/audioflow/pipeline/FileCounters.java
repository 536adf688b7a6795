package io.audioflow.pipeline;

import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The resume counters of a finished run: files_skipped and files_processed. */
public final class FileCounters {
  private FileCounters() {}

  public static Map<String, Long> of(PipelineResult result) {
    return Map.of("files_skipped", counter(result, "files_skipped"), "files_processed",
        counter(result, "files_processed"));
  }

  /** A counter of the audioflow namespace, summed over steps. */
  static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result.metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(SkipProcessed.NAMESPACE, name)).build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
