package io.audioflow.pipeline;

import io.audioflow.transforms.beam.Progress;
import io.audioflow.transforms.beam.Tables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroReadSupport;

/**
 * Resume: drops the matched files that the output's {@code tracks} or {@code errors} table already holds in the same
 * version (same uri, size and last-modified time), so a re-run processes only new and changed files. A join by uri
 * rather than a side input, so the done set never has to fit one worker's memory. Counts {@code files_skipped} and
 * {@code files_processed}.
 */
final class SkipProcessed extends PTransform<PCollection<MatchResult.Metadata>, PCollection<MatchResult.Metadata>> {
  static final String NAMESPACE = "audioflow";
  private static final List<String> VERSION_COLUMNS = List.of("uri", "size_bytes", "source_modified_at");

  /** The Parquet files whose rows count as done, e.g. {@code s3://b/out/tracks/*.parquet}, by table schema. */
  private final Map<String, Schema> doneTables;
  private final int joinKeys;

  private SkipProcessed(Map<String, Schema> doneTables, int joinKeys) {
    this.doneTables = doneTables;
    this.joinKeys = joinKeys;
  }

  /**
   * Skips files found in the {@code tracks} or {@code errors} table directories given (with a trailing slash).
   *
   * @param joinKeys 0 to join by uri; else the number of keys the uris are hashed to. A runner that makes a bundle
   *     of each key (the Direct runner) pays its per-bundle set-up once per key, so there a few keys per thread.
   */
  static SkipProcessed against(String tracksDir, String errorsDir, int joinKeys) {
    Map<String, Schema> tables = new LinkedHashMap<>();
    tables.put(tracksDir + "*.parquet", Tables.TRACKS);
    tables.put(errorsDir + "*.parquet", Tables.ERRORS);
    return new SkipProcessed(tables, joinKeys);
  }

  /** Skips nothing (--reprocess), still counting the files processed; {@code joinKeys} as for {@link #against}. */
  static SkipProcessed none(int joinKeys) {
    return new SkipProcessed(Map.of(), joinKeys);
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PCollection<MatchResult.Metadata> files) {
    PCollection<KV<String, MatchResult.Metadata>> byUri =
        files
            .apply("KeyFilesByUri", MapElements.via(new KeyByUri(joinKeys)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), MetadataCoderV2.of()));
    TupleTag<MatchResult.Metadata> found = new TupleTag<>();
    TupleTag<String> done = new TupleTag<>();
    return KeyedPCollectionTuple.of(found, byUri)
        .and(done, doneVersions(files))
        .apply("JoinWithOutput", CoGroupByKey.create())
        .apply("DropDone", ParDo.of(new DropDone(found, done)))
        .setCoder(MetadataCoderV2.of());
  }

  /** uri -> {@link #version} of every row already in the done tables. */
  private PCollection<KV<String, String>> doneVersions(PCollection<MatchResult.Metadata> files) {
    PCollectionList<KV<String, String>> versions =
        PCollectionList.of(
            files
                .getPipeline()
                .apply("NoDone", Create.empty(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))));
    int keys = joinKeys;
    for (Map.Entry<String, Schema> table : doneTables.entrySet()) {
      String name = table.getValue().getName();
      versions =
          versions.and(
              files
                  .getPipeline()
                  .apply("Done" + name + "Glob", Create.of(table.getKey()))
                  // An absent table (first run) matches nothing rather than failing.
                  .apply("MatchDone" + name, FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
                  .apply("OpenDone" + name, FileIO.readMatches())
                  .apply("ReadDone" + name, readVersions(table.getValue()))
                  .apply(
                      "Done" + name + "Versions",
                      MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                          .via(row -> versionOf(row, keys))));
    }
    return versions
        .apply("AllDone", Flatten.pCollections())
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
  }

  /**
   * Reads only the columns a version needs: a {@code tracks} row is wide (per-band and per-feature statistics), and
   * Parquet's column layout lets the reader skip the rest.
   */
  private static ParquetIO.ReadFiles readVersions(Schema table) {
    List<Schema.Field> fields = new ArrayList<>();
    for (String column : VERSION_COLUMNS) {
      Schema.Field field = table.getField(column);
      fields.add(new Schema.Field(field, field.schema()));
    }
    Schema projection = Schema.createRecord(table.getName(), table.getDoc(), table.getNamespace(), false, fields);
    // The read schema too: with the projection alone, rows come back in the file's full schema with the other
    // (non-nullable) columns null, which the projection-schema coder cannot encode.
    Configuration conf = new Configuration(false);
    AvroReadSupport.setAvroReadSchema(conf, projection);
    return ParquetIO.readFiles(projection).withProjection(projection, projection).withConfiguration(conf);
  }

  private static KV<String, String> versionOf(GenericRecord row, int joinKeys) {
    String uri = row.get("uri").toString();
    Object size = row.get("size_bytes");
    Object modified = row.get("source_modified_at");
    return KV.of(joinKey(uri, joinKeys),
        version(uri, size == null ? -1 : (Long) size, modified == null ? 0 : (Long) modified));
  }

  /** What identifies one version of a file: its uri, size and last-modified time (0 when unknown). */
  static String version(String uri, long sizeBytes, long lastModifiedMillis) {
    return sizeBytes + "@" + Math.max(0, lastModifiedMillis) + " " + uri;
  }

  private static String joinKey(String uri, int joinKeys) {
    return joinKeys == 0 ? uri : Integer.toString(Math.floorMod(uri.hashCode(), joinKeys));
  }

  private static final class KeyByUri extends SimpleFunction<MatchResult.Metadata, KV<String, MatchResult.Metadata>> {
    private final int joinKeys;

    KeyByUri(int joinKeys) {
      this.joinKeys = joinKeys;
    }

    @Override
    public KV<String, MatchResult.Metadata> apply(MatchResult.Metadata file) {
      return KV.of(joinKey(file.resourceId().toString(), joinKeys), file);
    }
  }

  private static final class DropDone extends DoFn<KV<String, CoGbkResult>, MatchResult.Metadata> {
    private final Counter skipped = Metrics.counter(NAMESPACE, "files_skipped");
    private final Counter processed = Metrics.counter(NAMESPACE, "files_processed");
    private final TupleTag<MatchResult.Metadata> found;
    private final TupleTag<String> done;

    DropDone(TupleTag<MatchResult.Metadata> found, TupleTag<String> done) {
      this.found = found;
      this.done = done;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<MatchResult.Metadata> out) {
      Set<String> versions = new HashSet<>();
      joined.getValue().getAll(done).forEach(versions::add);
      for (MatchResult.Metadata file : joined.getValue().getAll(found)) {
        String uri = file.resourceId().toString();
        if (versions.contains(version(uri, file.sizeBytes(), file.lastModifiedMillis()))) {
          skipped.inc();
        } else {
          processed.inc();
          Progress.expect(1);
          out.output(file);
        }
      }
    }
  }
}
