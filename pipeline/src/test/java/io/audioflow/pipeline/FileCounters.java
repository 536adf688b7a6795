package io.audioflow.pipeline;

import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Metrics of a finished run: the resume counters, any audioflow counter or distribution. */
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

  /** A distribution of the audioflow namespace, combined over steps. */
  static DistributionResult distribution(PipelineResult result, String name) {
    DistributionResult combined = DistributionResult.IDENTITY_ELEMENT;
    for (MetricResult<DistributionResult> d :
        result.metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(SkipProcessed.NAMESPACE, name)).build())
            .getDistributions()) {
      DistributionResult a = d.getAttempted();
      combined = DistributionResult.create(combined.getSum() + a.getSum(), combined.getCount() + a.getCount(),
          Math.min(combined.getMin(), a.getMin()), Math.max(combined.getMax(), a.getMax()));
    }
    return combined;
  }
}
