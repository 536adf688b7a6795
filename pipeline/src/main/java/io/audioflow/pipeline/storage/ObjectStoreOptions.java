package io.audioflow.pipeline.storage;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Object-storage options beyond Beam's own {@link S3Options} ({@code --endpoint}, {@code --awsRegion},
 * {@code --awsCredentialsProvider}): path-style addressing, which most S3-compatible servers (MinIO, Ceph, S3Mock)
 * need behind a plain host name or IP.
 */
public interface ObjectStoreOptions extends S3Options {
  @Description("Address buckets as https://endpoint/bucket/key instead of https://bucket.endpoint/key (needed by most"
      + " S3-compatible servers reached by IP or a plain host name).")
  @Default.Boolean(false)
  boolean getS3PathStyleAccess();

  void setS3PathStyleAccess(boolean value);
}
