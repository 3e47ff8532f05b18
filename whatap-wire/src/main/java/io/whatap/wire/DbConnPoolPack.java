package io.whatap.wire;

/** DBCONN_POOL: connection pool usage as text ({@code pid|url|active|idle}, comma-separated). */
public record DbConnPoolPack(String data) implements Pack {
  @Override
  public int type() {
    return PackType.DBCONN_POOL;
  }
}
