package io.whatap.wire;

/** Frame type codes of the UDP protocol (first byte of every frame) and the version we send. */
public final class PackType {
  public static final int TX_START = 1;
  public static final int TX_DB_CONN = 2;
  public static final int TX_SQL = 4;
  public static final int TX_HTTPC = 7;
  public static final int TX_ERROR = 10;
  public static final int TX_MSG = 11;
  public static final int TX_METHOD = 12;
  public static final int TX_PARAM = 30;
  public static final int ACTIVE_STACK = 40;
  public static final int ACTIVE_STATS = 41;
  public static final int DBCONN_POOL = 42;
  public static final int RELAY_PACK = 244;
  /**
   * Ours, sent only to a local agent that offered stats mode ({@link StatsOffer}), in layout version
   * {@link #STATS_VERSION}: per-interval statistics of one (name, status class), and a hitmap slot.
   * No WhaTap agent family uses these codes (the seal, 232, is ours too).
   */
  public static final int STATS_ROW = 233;
  public static final int STATS_HITMAP = 234;
  /** The layout version of the STATS_* frames. */
  public static final int STATS_VERSION = 1;
  public static final int TX_START_END = 254;
  public static final int TX_END = 255;

  /** The newest Python-family layout golib reads; every frame we write carries it. */
  public static final int VERSION = 20106;

  /**
   * The version of the one frame we send in the Go family's layout: a TX_START_END that, unlike the
   * Python family's, carries the HTTP method, the status and the caller's step id, so that a
   * transaction without steps travels as one frame instead of TX_START and TX_END. Sent only to a
   * local agent that offered to read it (see {@code BackChannel}); golib reads it too.
   */
  public static final int GO_START_END_VERSION = 50101;

  /** Lowest and highest version of the Go layout family. */
  public static final int GO_FAMILY_MIN = 50001;
  public static final int GO_FAMILY_MAX = 59999;

  /** Lowest and highest version of the Python layout family. */
  public static final int PYTHON_FAMILY_MIN = 20000;
  public static final int PYTHON_FAMILY_MAX = 29999;

  private PackType() {
  }

  /** The constant's name, or {@code UNKNOWN(n)} for a code this codec does not read. */
  public static String name(int type) {
    switch (type) {
      case TX_START: return "TX_START";
      case TX_DB_CONN: return "TX_DB_CONN";
      case TX_SQL: return "TX_SQL";
      case TX_HTTPC: return "TX_HTTPC";
      case TX_ERROR: return "TX_ERROR";
      case TX_MSG: return "TX_MSG";
      case TX_METHOD: return "TX_METHOD";
      case TX_PARAM: return "TX_PARAM";
      case ACTIVE_STACK: return "ACTIVE_STACK";
      case ACTIVE_STATS: return "ACTIVE_STATS";
      case DBCONN_POOL: return "DBCONN_POOL";
      case RELAY_PACK: return "RELAY_PACK";
      case STATS_ROW: return "STATS_ROW";
      case STATS_HITMAP: return "STATS_HITMAP";
      case TX_START_END: return "TX_START_END";
      case TX_END: return "TX_END";
      default: return "UNKNOWN(" + type + ")";
    }
  }

  /** True for the codes this codec reads and writes. */
  public static boolean isKnown(int type) {
    switch (type) {
      case TX_START: case TX_DB_CONN: case TX_SQL: case TX_HTTPC: case TX_ERROR: case TX_MSG:
      case TX_METHOD: case TX_PARAM: case ACTIVE_STACK: case ACTIVE_STATS: case DBCONN_POOL:
      case RELAY_PACK: case TX_START_END: case TX_END: case STATS_ROW: case STATS_HITMAP:
        return true;
      default:
        return false;
    }
  }

  /** True for the packs that start with a transaction header and whose layout depends on the version. */
  public static boolean hasTxHeader(int type) {
    switch (type) {
      case TX_START: case TX_DB_CONN: case TX_SQL: case TX_HTTPC: case TX_ERROR: case TX_MSG:
      case TX_METHOD: case TX_START_END: case TX_END:
        return true;
      default:
        return false;
    }
  }

  /** True for our STATS_* frames, whose only layout is {@link #STATS_VERSION}. */
  static boolean isStats(int type) {
    return type == STATS_ROW || type == STATS_HITMAP;
  }

  static boolean isGoFamily(int version) {
    return version >= GO_FAMILY_MIN && version <= GO_FAMILY_MAX;
  }

  static boolean isPythonFamily(int version) {
    return version >= PYTHON_FAMILY_MIN && version <= PYTHON_FAMILY_MAX;
  }
}
