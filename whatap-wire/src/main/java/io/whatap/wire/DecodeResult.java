package io.whatap.wire;

import java.util.List;

/**
 * What {@link PackDecoder#decode} read from one datagram.
 *
 * @param packs         the frames read, in order, including {@link UnknownPack}s for skipped ones
 * @param unknownFrames how many of them were skipped as unknown
 * @param error         null when the whole datagram was read; otherwise why reading stopped, naming
 *                      the frame, its type and version, and the offset in the datagram
 * @param framesRead    frames read before the error (or all of them); equals {@code packs.size()}
 */
public record DecodeResult(List<Pack> packs, int unknownFrames, String error, int framesRead) {
  public boolean ok() {
    return error == null;
  }
}
