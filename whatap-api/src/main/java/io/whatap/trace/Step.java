package io.whatap.trace;

/**
 * One recorded step of a transaction. Steps are pushed onto a lock-free stack in the context
 * (newest first, linked through {@link #next}); the sender reverses them when it encodes and
 * then gives them back to the tracer's {@link StepPool}, so a step object is reused by later
 * transactions: read a step only until its transaction has been sent.
 */
public final class Step {
  public int type;
  public long time;
  public int elapsed;
  public String a;
  public String b;
  public String c;
  public long n;
  /** Kept as the throwable so the stack is rendered by the sender, not on the request thread. */
  public Throwable error;
  Step next;
  int index;

  Step() { }

  void set(int type, long time, int elapsed, String a, String b, String c, long n, Throwable error) {
    this.type = type;
    this.time = time;
    this.elapsed = elapsed;
    this.a = a;
    this.b = b;
    this.c = c;
    this.n = n;
    this.error = error;
  }

  /** Forgets what the step referenced, so a pooled step keeps no SQL text or throwable alive. */
  void clear() {
    a = null;
    b = null;
    c = null;
    error = null;
  }

  public Step next() {
    return next;
  }
}
