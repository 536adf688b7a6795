package io.audioflow.transforms.beam;

import io.audioflow.transforms.analysis.AnalysisException;
import io.audioflow.transforms.analysis.ErrorClass;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.separation.SeparationSpan;
import io.audioflow.transforms.separation.TrackSeparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin DoFn around {@link TrackSeparator#separateSpan}: one span of a long file in; its parts copied to
 * {@link SpanPartFiles} (only once the whole span succeeded, so a failed or abandoned span leaves none there); one
 * {@link SpanResult} out, keyed by the file's URI for its track's {@link AssembleStemsFn}. Every span yields exactly
 * one result, failed or not, so the assembly always sees the whole track.
 */
public class SeparateSpanFn extends DoFn<KV<MatchResult.Metadata, SeparationSpan>, KV<String, SpanResult>> {
  private static final Logger LOG = LoggerFactory.getLogger(SeparateSpanFn.class);

  private final SeparationConfig config;
  private final String stemsOutput;
  private final Counter spans = Metrics.counter(SeparateFileFn.NAMESPACE, "separation_spans");
  private transient SeparationWorker worker;

  public SeparateSpanFn(SeparationConfig config, String stemsOutput) {
    this.config = config;
    this.stemsOutput = stemsOutput;
  }

  @Setup
  public void setup() {
    worker = new SeparationWorker(config);
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    MatchResult.Metadata file = c.element().getKey();
    SeparationSpan span = c.element().getValue();
    String uri = file.resourceId().toString();
    Path work = Files.createTempDirectory("audioflow-span-");
    SpanResult result;
    try {
      // The budget grows with the audio up to the span's end: what comes after is only decoded.
      double spanEndSeconds = span.to() / (double) config.bag().sampleRate();
      TrackSeparator.SpanParts parts = worker.separate(file, spanEndSeconds, work,
          (separator, channel) -> separator.separateSpan(channel, file.sizeBytes(), uri, span, work));
      ResourceId directory = SpanPartFiles.directory(stemsOutput, uri);
      List<String> sources = config.bag().sources();
      SeparateFileFn.copy(parts.parts(), sources.stream()
          .map(source -> SpanPartFiles.part(directory, span.index(), source)).toList(), "application/octet-stream");
      result = new SpanResult(span, parts.sha256(), parts.frames(), parts.mixEnergy(), null, false);
    } catch (AnalysisException e) {
      result = e.errorClass() == ErrorClass.TIMEOUT
          ? SpanResult.failed(span, "TIMEOUT: " + e.getMessage())
          : SpanResult.undecodable(span);
    } catch (Exception e) { // SeparationException, IOException, RuntimeException
      result = SpanResult.failed(span, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      if (!worker.abandoned()) {
        LocalFiles.deleteTree(work);
      }
    }
    if (result.error() != null) {
      LOG.warn("span {} of {} of {} failed: {}", span.index() + 1, span.count(), uri, result.error());
    }
    spans.inc();
    c.output(KV.of(uri, result));
  }

  @Teardown
  public void teardown() {
    if (worker != null) {
      worker.close();
      worker = null;
    }
  }
}
