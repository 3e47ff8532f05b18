package io.whatap.wire;

/** ACTIVE_STACK: the stack dump of an active transaction. No transaction header. */
public record ActiveStackPack(String data) implements Pack {
  @Override
  public int type() {
    return PackType.ACTIVE_STACK;
  }
}
