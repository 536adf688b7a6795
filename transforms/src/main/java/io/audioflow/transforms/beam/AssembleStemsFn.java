package io.audioflow.transforms.beam;

import io.audioflow.models.SeparationBag;
import io.audioflow.transforms.files.LocalFiles;
import io.audioflow.transforms.separation.StemAssembler;
import io.audioflow.transforms.separation.StemFormat;
import io.audioflow.transforms.separation.TrackSeparator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of a split track: its spans' results in, its {@code stems} rows out. When every span succeeded,
 * {@link StemAssembler} streams the parts into one stem file per source (with statistics over the whole stem),
 * copied to {@code <stemsOutput>/<track_id>/<source>.<ext>}. Any span failing gives the track the rows a failed
 * whole file gets; a file that did not decode gets none (its errors row comes from AnalyzeFileFn). Either way the
 * track's parts are deleted.
 */
public class AssembleStemsFn extends DoFn<KV<String, Iterable<SpanResult>>, GenericRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(AssembleStemsFn.class);

  private final SeparationBag bag;
  private final StemFormat format;
  private final String stemsOutput;
  private final Counter separated = Metrics.counter(SeparateFileFn.NAMESPACE, "separation_tracks");
  private final Counter failed = Metrics.counter(SeparateFileFn.NAMESPACE, "separation_failures");
  private transient StemAssembler assembler;
  private transient StemRows rows;

  public AssembleStemsFn(SeparationBag bag, StemFormat format, String stemsOutput) {
    this.bag = bag;
    this.format = format;
    this.stemsOutput = stemsOutput;
  }

  @Setup
  public void setup() {
    assembler = new StemAssembler(bag.sources(), bag.sampleRate(), bag.channels(), format);
    rows = new StemRows(bag);
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    String uri = c.element().getKey();
    List<SpanResult> spans = new ArrayList<>();
    c.element().getValue().forEach(spans::add);
    spans.sort(Comparator.comparingInt(s -> s.span().index()));
    ResourceId parts = SpanPartFiles.directory(stemsOutput, uri);
    Path work = Files.createTempDirectory("audioflow-assemble-");
    try {
      if (spans.stream().anyMatch(SpanResult::undecodable)) {
        LOG.debug("{} does not decode; its errors row comes from AnalyzeFileFn", uri);
        return;
      }
      String error = problem(spans);
      if (error != null) {
        failed(c, uri, error);
        return;
      }
      SpanResult first = spans.get(0);
      List<TrackSeparator.Stem> stems = assembler.assemble(
          (span, source) -> FileSystems.open(SpanPartFiles.part(parts, span, source)), spans.size(),
          first.mixEnergy(), work);
      List<String> targets = SeparateFileFn.copyStems(stems.stream().map(TrackSeparator.Stem::file).toList(),
          SeparateFileFn.trackDirectory(stemsOutput, first.sha256()), format.mimeType());
      rows.separated(first.sha256(), uri, stems, targets).forEach(c::output);
      separated.inc();
    } catch (IOException | RuntimeException e) {
      failed(c, uri, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      SpanPartFiles.delete(parts);
      LocalFiles.deleteTree(work);
    }
  }

  /** The first span's error; else whether the spans are all of one unchanged file; null when they are. */
  private static String problem(List<SpanResult> spans) {
    for (SpanResult span : spans) {
      if (span.error() != null) {
        return span.error();
      }
    }
    SpanResult first = spans.get(0);
    if (spans.size() != first.span().count()) {
      return "IllegalStateException: " + spans.size() + " of " + first.span().count() + " spans reported";
    }
    for (SpanResult span : spans) {
      if (!span.sha256().equals(first.sha256()) || span.frames() != first.frames()) {
        return "IOException: the file changed while its spans were separated (SHA-256 " + first.sha256() + " and "
            + span.sha256() + ")";
      }
    }
    return null;
  }

  private void failed(ProcessContext c, String uri, String error) {
    failed.inc();
    LOG.warn("separation failed for {}: {}", uri, error);
    rows.failed(uri, error).forEach(c::output);
  }
}
