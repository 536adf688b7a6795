package io.audioflow.pipeline;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The input files: a glob ({@code --input}), which must match something (an empty match is a configuration error
 * and fails the job at matching), or a list of URIs ({@code --inputList}), where a URI that matches nothing is still
 * passed on, so that it ends as a {@code NOT_FOUND} error row instead of stopping the job or vanishing.
 */
final class MatchInputs extends PTransform<PBegin, PCollection<MatchResult.Metadata>> {
  private final String glob;
  private final String list;

  private MatchInputs(String glob, String list) {
    this.glob = glob;
    this.list = list;
  }

  /** The inputs of checked options ({@link OptionChecks}: exactly one of --input and --inputList). */
  static MatchInputs from(AudioflowOptions options) {
    return new MatchInputs(options.getInput(), options.getInputList());
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PBegin begin) {
    if (glob != null) {
      return begin
          .apply("Glob", Create.of(glob))
          .apply("MatchGlob", ParDo.of(new MatchGlobFn()))
          .setCoder(MetadataCoderV2.of());
    }
    return begin
        .apply("ReadInputList", TextIO.read().from(list))
        .apply("DropBlankLines", Filter.by(line -> !line.isBlank()))
        .apply("MatchListed", ParDo.of(new MatchListedFn()))
        .setCoder(MetadataCoderV2.of());
  }

  /**
   * Matches the glob, as {@code FileIO.match} does without the reshuffle it ends with: on the Direct runner that
   * reshuffle makes every file a bundle of its own through the steps up to the job's own spread.
   */
  static final class MatchGlobFn extends DoFn<String, MatchResult.Metadata> {
    @ProcessElement
    public void process(@Element String glob, OutputReceiver<MatchResult.Metadata> out) throws IOException {
      FileSystems.match(glob, EmptyMatchTreatment.DISALLOW).metadata().forEach(out::output);
    }
  }

  /** Matches one listed URI; one that matches nothing becomes a file of unknown size, which fails to open. */
  static final class MatchListedFn extends DoFn<String, MatchResult.Metadata> {
    @ProcessElement
    public void process(@Element String line, OutputReceiver<MatchResult.Metadata> out) throws IOException {
      String uri = line.trim();
      MatchResult match = FileSystems.match(List.of(uri), EmptyMatchTreatment.ALLOW).get(0);
      if (match.status() == MatchResult.Status.OK && !match.metadata().isEmpty()) {
        match.metadata().forEach(out::output);
        return;
      }
      // NOT_FOUND, or ERROR (e.g. access denied to list): opening it gives the row its class and message.
      out.output(MatchResult.Metadata.builder()
          .setResourceId(FileSystems.matchNewResource(uri, false))
          .setSizeBytes(-1)
          .setIsReadSeekEfficient(false)
          .setLastModifiedMillis(0)
          .build());
    }
  }
}
