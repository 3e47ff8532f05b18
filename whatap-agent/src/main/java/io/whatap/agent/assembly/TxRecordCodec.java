package io.whatap.agent.assembly;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A completed transaction, steps included, as bytes and back: how the embedded store keeps it. The
 * layout starts with a version byte, so that a later agent can still read what an earlier one wrote
 * (an unknown version is refused with an IOException, never misread).
 */
public final class TxRecordCodec {
  static final int VERSION = 1;

  private TxRecordCodec() {
  }

  public static void encode(TxRecord t, ByteArrayOutputStream into) {
    try {
      DataOutputStream o = new DataOutputStream(into);
      o.writeByte(VERSION);
      o.writeLong(t.txid);
      o.writeInt(t.appId);
      text(o, t.app);
      o.writeInt(t.pid);
      text(o, t.name);
      text(o, t.host);
      text(o, t.method);
      text(o, t.clientIp);
      text(o, t.userAgent);
      text(o, t.referer);
      o.writeLong(t.start);
      o.writeLong(t.end);
      o.writeInt(t.elapsed);
      o.writeInt(t.status);
      o.writeBoolean(t.error);
      text(o, t.errorClass);
      text(o, t.errorMessage);
      o.writeLong(t.cpuMs);
      o.writeLong(t.mtid);
      o.writeInt(t.mdepth);
      o.writeLong(t.callerTxid);
      text(o, t.callerSpec);
      text(o, t.callerUrl);
      o.writeLong(t.callerStepId);
      o.writeInt(t.stepsDropped);
      text(o, t.activeStack);
      o.writeBoolean(t.startMissing);
      o.writeLong(t.receivedAt);
      o.writeInt(t.steps.size());
      for (TxStep s : t.steps) {
        text(o, s.kind());
        o.writeLong(s.time() - t.start);
        o.writeInt(s.elapsed());
        text(o, s.title());
        text(o, s.detail());
        text(o, s.text());
        o.writeLong(s.number());
      }
      o.flush();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e); // a ByteArrayOutputStream does not
    }
  }

  public static TxRecord decode(InputStream in) throws IOException {
    DataInputStream i = new DataInputStream(in);
    int version = i.readUnsignedByte();
    if (version != VERSION) {
      throw new IOException("a stored transaction of layout " + version + " (this agent reads " + VERSION + ")");
    }
    TxRecord.Builder b = new TxRecord.Builder();
    b.txid = i.readLong();
    int appId = i.readInt();
    String app = text(i);
    b.pid = i.readInt();
    b.name = text(i);
    b.host = text(i);
    b.method = text(i);
    b.clientIp = text(i);
    b.userAgent = text(i);
    b.referer = text(i);
    b.start = i.readLong();
    b.end = i.readLong();
    b.elapsed = i.readInt();
    b.status = i.readInt();
    b.error = i.readBoolean();
    b.errorClass = text(i);
    b.errorMessage = text(i);
    b.cpuMs = i.readLong();
    b.mtid = i.readLong();
    b.mdepth = i.readInt();
    b.callerTxid = i.readLong();
    b.callerSpec = text(i);
    b.callerUrl = text(i);
    b.callerStepId = i.readLong();
    b.stepsDropped = i.readInt();
    String stack = text(i);
    b.startMissing = i.readBoolean();
    long receivedAt = i.readLong();
    int n = i.readInt();
    if (n < 0 || n > 1_000_000) {
      throw new IOException("a stored transaction with " + n + " steps");
    }
    List<TxStep> steps = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      String kind = text(i);
      long time = b.start + i.readLong();
      int elapsed = i.readInt();
      steps.add(new TxStep(kind, time, elapsed, text(i), text(i), text(i), i.readLong()));
    }
    b.steps = steps;
    return b.build(appId, app, stack, receivedAt);
  }

  private static void text(DataOutputStream o, String s) throws IOException {
    if (s == null) {
      o.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    o.writeInt(b.length);
    o.write(b);
  }

  private static String text(DataInputStream i) throws IOException {
    int n = i.readInt();
    if (n < 0) {
      return null;
    }
    if (n > 16 << 20) {
      throw new IOException("a stored text of " + n + " bytes");
    }
    byte[] b = new byte[n];
    i.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
