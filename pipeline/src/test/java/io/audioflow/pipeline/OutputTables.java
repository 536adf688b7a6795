package io.audioflow.pipeline;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a job's output tables back with DuckDB (JDBC), as a user would. */
public final class OutputTables {
  private OutputTables() {}

  public static List<Map<String, Object>> query(String sql) {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = rs.getObject(i);
          row.put(meta.getColumnLabel(i), value instanceof java.sql.Array a ? toList(a) : value);
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** All rows of a table directory, read from its Parquet files. */
  public static List<Map<String, Object>> read(Path output, String table, String columns) {
    return query("SELECT " + columns + " FROM read_parquet('" + output.resolve(table) + "/*.parquet') ORDER BY uri");
  }

  private static List<Object> toList(java.sql.Array array) throws SQLException {
    return new ArrayList<>(List.of((Object[]) array.getArray()));
  }
}
