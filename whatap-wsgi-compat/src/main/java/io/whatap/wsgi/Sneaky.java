package io.whatap.wsgi;

/** Throws any throwable as it is, checked or not, as WSGI re-raises exc_info. */
final class Sneaky {
  private Sneaky() { }

  @SuppressWarnings("unchecked")
  static <T extends Throwable> T rethrow(Throwable t) throws T {
    throw (T) t;
  }
}
