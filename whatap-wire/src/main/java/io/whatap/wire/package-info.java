/**
 * The UDP wire codec between the in-process agent and the local agent: WhaTap's Python-family
 * layout (pack version {@value io.whatap.wire.PackType#VERSION}) as read by the public Go
 * library whatap/golib. See {@code shared/SPEC-wire.md}.
 *
 * <p>{@link io.whatap.wire.WireWriter} and {@link io.whatap.wire.PackEncoder} produce frames;
 * {@link io.whatap.wire.PackDecoder} reads datagrams into the {@link io.whatap.wire.Pack} records.
 * JDK only: this package must never depend on a third-party library.
 */
package io.whatap.wire;
