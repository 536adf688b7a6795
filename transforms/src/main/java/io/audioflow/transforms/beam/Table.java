package io.audioflow.transforms.beam;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Every table the job can write, in the order docs/schema.md lists them: the one place a table is named. Its
 * directory under {@code --output}, its Avro schema, and the tag its rows travel under from the step that makes them
 * to the writer; the DDL generator and {@code --overwrite} read the same list.
 */
public enum Table {
  TRACKS(Tables.TRACKS),
  ERRORS(Tables.ERRORS),
  MEL(Tables.MEL),
  FRAMES(Tables.FRAMES),
  STEMS(SeparateFileFn.STEMS),
  PREDICTIONS(Tables.PREDICTIONS),
  PATCHES(Tables.PATCHES);

  private final Schema schema;
  private final TupleTag<GenericRecord> tag;

  Table(Schema schema) {
    this.schema = schema;
    this.tag = new TupleTag<>(directoryName());
  }

  public Schema schema() {
    return schema;
  }

  /** The table's directory name under the output ({@code tracks}, {@code errors}, ...). */
  public String directoryName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The table's directory under {@code output} (any Beam filesystem), with a trailing separator. */
  public String directory(String output) {
    return FileSystems.matchNewResource(output, true)
        .resolve(directoryName(), StandardResolveOptions.RESOLVE_DIRECTORY)
        .toString();
  }

  /** The tag of this table's rows (its id is the directory name). */
  public TupleTag<GenericRecord> tag() {
    return tag;
  }

  /** The table whose rows {@code tag} carries. */
  public static Table of(TupleTag<?> tag) {
    return valueOf(tag.getId().toUpperCase(Locale.ROOT));
  }
}
