package io.whatap.trace;

/**
 * One recorded step of a transaction. Steps are pushed onto a lock-free stack in the context
 * (newest first, linked through {@link #next}); the sender reverses them when it encodes.
 */
public final class Step {
  public final int type;
  public final long time;
  public final int elapsed;
  public final String a;
  public final String b;
  public final String c;
  public final long n;
  /** Kept as the throwable so the stack is rendered by the sender, not on the request thread. */
  public final Throwable error;
  Step next;
  int index;

  Step(int type, long time, int elapsed, String a, String b, String c, long n, Throwable error) {
    this.type = type;
    this.time = time;
    this.elapsed = elapsed;
    this.a = a;
    this.b = b;
    this.c = c;
    this.n = n;
    this.error = error;
  }

  public Step next() {
    return next;
  }
}
