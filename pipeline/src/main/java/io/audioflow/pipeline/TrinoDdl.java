package io.audioflow.pipeline;

import io.audioflow.transforms.beam.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Trino DDL (Hive connector) for every table the job can write, generated from the Avro schemas its Parquet writers
 * use ({@link Table}): external tables over the table directories under one location, and a
 * {@code <table>_latest} view (one row per uri, the newest by {@code processed_at}) for each table that has both.
 *
 * <p>Every column name is quoted, so a reserved word ({@code "values"}) needs no list of Trino's keywords to keep.
 * Timestamps are written as {@code timestamp-millis} (UTC-adjusted INT64 in Parquet) and read as
 * {@code timestamp(3)}, the Hive connector's default precision, in UTC. Every column is declared nullable; the
 * required ones are never null in the files.
 */
public final class TrinoDdl {
  private static final int LINE = 110;

  private TrinoDdl() {}

  /** The DDL as one script of statements, each ended by {@code ;} and separated by a blank line. */
  public static String generate(String catalog, String schema, String location) {
    String base = location.replaceAll("/+$", "");
    String qualified = catalog + "." + schema;
    StringBuilder sql = new StringBuilder("CREATE SCHEMA IF NOT EXISTS " + qualified + ";\n");
    for (Table table : Table.values()) {
      String name = qualified + "." + table.directoryName();
      List<Schema.Field> fields = table.schema().getFields();
      sql.append("\nCREATE TABLE ").append(name).append(" (\n")
          .append(fields.stream().map(f -> "  " + quote(f.name()) + " " + type(f.schema()))
              .collect(Collectors.joining(",\n")))
          .append("\n)\nWITH (external_location = '").append(base).append('/').append(table.directoryName())
          .append("', format = 'PARQUET');\n");
      if (table.schema().getField("uri") != null && table.schema().getField("processed_at") != null) {
        sql.append("\nCREATE OR REPLACE VIEW ").append(name).append("_latest AS\nSELECT ")
            .append(wrapped(fields.stream().map(f -> quote(f.name())).toList()))
            .append("\nFROM (\n  SELECT t.*, row_number() OVER (PARTITION BY \"uri\" ORDER BY \"processed_at\" DESC)")
            .append(" AS rn\n  FROM ").append(name).append(" t\n)\nWHERE rn = 1;\n");
      }
    }
    return sql.toString();
  }

  /** The Trino type that the Hive connector reads the Parquet column written for this Avro schema as. */
  static String type(Schema schema) {
    LogicalType logical = schema.getLogicalType();
    if (logical != null) {
      if (logical instanceof LogicalTypes.TimestampMillis) {
        return "timestamp(3)";
      }
      throw new IllegalArgumentException("no Trino type chosen for Avro logical type " + logical.getName());
    }
    return switch (schema.getType()) {
      case UNION -> type(nonNull(schema));
      case STRING -> "varchar";
      case BOOLEAN -> "boolean";
      case INT -> "integer";
      case LONG -> "bigint";
      case FLOAT -> "real";
      case DOUBLE -> "double";
      case ARRAY -> "array(" + type(schema.getElementType()) + ")";
      case MAP -> "map(varchar, " + type(schema.getValueType()) + ")";
      case RECORD -> schema.getFields().stream().map(f -> quote(f.name()) + " " + type(f.schema()))
          .collect(Collectors.joining(", ", "row(", ")"));
      default -> throw new IllegalArgumentException("no Trino type chosen for Avro " + schema);
    };
  }

  /** The one non-null branch of a nullable union (the only unions the tables use). */
  private static Schema nonNull(Schema union) {
    List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
    if (branches.size() != 1) {
      throw new IllegalArgumentException("no Trino type for a union of " + branches);
    }
    return branches.get(0);
  }

  /** Comma-separated, in lines of at most about {@link #LINE} characters (the docs show the output). */
  private static String wrapped(List<String> names) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String name : names) {
      if (line.length() > 0 && line.length() + 2 + name.length() > LINE) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? ", " : "").append(name);
    }
    lines.add(line.toString());
    return String.join(",\n  ", lines);
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
