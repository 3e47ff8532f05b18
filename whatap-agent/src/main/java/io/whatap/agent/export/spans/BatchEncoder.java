package io.whatap.agent.export.spans;

import io.whatap.agent.assembly.TxRecord;
import java.util.List;

/** Turns a batch of completed transactions into one request body of an exporter's wire format. */
public interface BatchEncoder {
  /** The body, and how many spans it holds. */
  record Encoded(byte[] body, int spans) {
  }

  Encoded encode(List<TxRecord> batch);
}
