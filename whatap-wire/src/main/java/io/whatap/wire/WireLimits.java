package io.whatap.wire;

/**
 * Byte limits (UTF-8) at which text fields are truncated before encoding, on a character
 * boundary. The values are those of shared/SPEC-wire.md and of golib's {@code UdpPack.go}; a
 * text is never longer than {@link #MAX_TEXT} because its length travels as an unsigned short.
 */
public final class WireLimits {
  public static final int HOST = 2048;
  public static final int URI = 2048;
  public static final int USER_AGENT = 2048;
  public static final int REFERER = 2048;
  public static final int CLIENT_ID = 2048;
  public static final int HTTP_METHOD = 256;
  public static final int IP = 256;
  public static final int SQL = 32768;
  public static final int HTTPC_URL = 32768;
  public static final int MESSAGE = 32768;
  public static final int STACK = 32768;
  public static final int ERROR_MESSAGE = 4096;
  /** TX_MSG title (golib truncates the message hash at its URI limit). */
  public static final int MESSAGE_TITLE = 2048;
  /** Any other text field (db connection url, error class, method name, caller spec, ...). */
  public static final int DEFAULT = 4096;
  /** The unsigned-16 length prefix cannot say more. */
  public static final int MAX_TEXT = 65535;

  private WireLimits() {
  }
}
