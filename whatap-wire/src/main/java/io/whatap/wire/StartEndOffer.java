package io.whatap.wire;

/**
 * The back-channel request by which our local agent offers to read a step-less transaction as one
 * TX_START_END frame in the Go layout ({@link PackType#GO_START_END_VERSION}) instead of TX_START and
 * TX_END in the Python layout: {@code 7001,<request id>,tx-start-end=50101}. 7001 is outside the
 * parameter ids WhaTap's agents use (ParamDef: 1–101), so an application that does not know it
 * keeps sending the two frames: an older build of this core answers it with its active statistics,
 * and WhaTap's Python agent fails to look the id up, logs that at debug level and reads on. WhaTap's own
 * local agent never sends it, so an application talking to one never changes its layout.
 *
 * <p>The agent repeats the offer every {@link #REPEAT_MS} while it hears from an application, and
 * the application uses the one frame for {@link #VALID_MS} after the last offer: an agent replaced
 * by one that does not offer gets the two frames again within a minute.
 */
public final class StartEndOffer {
  public static final int PARAM_ID = 7001;
  public static final String EXTRA = "tx-start-end=" + PackType.GO_START_END_VERSION;
  public static final long REPEAT_MS = 10_000;
  public static final long VALID_MS = 60_000;

  private StartEndOffer() {
  }
}
