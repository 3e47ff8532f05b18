package io.whatap.wire;

/**
 * The back-channel request by which our local agent offers to read statistics computed in the
 * process ({@link StatsRowPack}, {@link StatsHitmapPack}) for the transactions it does not send,
 * and full transactions only where they teach something: {@code 7002,<request id>,stats=1}. Like
 * {@link StartEndOffer}, the id lies outside WhaTap's (1–101) and WhaTap's own agent never sends it,
 * so towards it every transaction keeps leaving in full. The agent repeats the offer every
 * {@link #REPEAT_MS} while it hears from an application; the application stays in stats mode for
 * {@link #VALID_MS} after the last offer.
 */
public final class StatsOffer {
  public static final int PARAM_ID = 7002;
  public static final String EXTRA = "stats=" + PackType.STATS_VERSION;
  public static final long REPEAT_MS = 10_000;
  public static final long VALID_MS = 60_000;

  private StatsOffer() {
  }
}
