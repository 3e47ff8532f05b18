package io.whatap.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the frames of one datagram into {@link Pack} records.
 *
 * <p>The input is untrusted: {@link #decode} never throws, and allocates no more than the
 * datagram holds (every length is checked against the bytes left in its frame first). Reading
 * stops at the first malformed frame; the frames before it are returned with an error naming the
 * frame, its type and version, the field and the datagram offset.
 *
 * <p>Layouts are those golib reads for the Python family (version 20000–29999): TX_START's HTTP
 * method and TX_END's status from 20104, TX_END's isLlm and TX_HTTPC's driver from 20105, TX_END's
 * mcallerStepId from 20106, TX_SQL's fetch from 20102. Bytes after the last field a version
 * declares are ignored, as golib does, so newer senders stay readable. TX_START_END is also read in
 * the Go family's layout (50001–59999: HTTP method, status from 50100, caller step id and trace id
 * from 50101), which our sender uses for step-less transactions once our local agent offers it. A
 * frame of an unknown type, or another transaction frame of another agent family, is skipped by its
 * length and reported as an {@link UnknownPack}. Numbers carried as text read as 0 when empty or
 * not numeric.
 */
public final class PackDecoder {
  private PackDecoder() {
  }

  public static DecodeResult decode(byte[] datagram) {
    return decode(datagram, 0, datagram == null ? 0 : datagram.length);
  }

  public static DecodeResult decode(byte[] buf, int off, int len) {
    return decode(buf, off, len, null);
  }

  /**
   * As {@link #decode(byte[], int, int)}, with the transaction fields that repeat (host, URI,
   * client address, user agent, referer, method) answered from {@code memo} when their bytes
   * are those of the previous value: equal strings come back as the same instance.
   */
  public static DecodeResult decode(byte[] buf, int off, int len, TextMemo memo) {
    if (buf == null) {
      return new DecodeResult(List.of(), 0, "no datagram: the buffer is null", 0);
    }
    if (off < 0 || len < 0 || off > buf.length - len) {
      return new DecodeResult(List.of(), 0,
          "datagram bounds off=" + off + " len=" + len + " fall outside a buffer of " + buf.length + " bytes", 0);
    }
    List<Pack> packs = new ArrayList<>();
    int unknown = 0;
    int end = off + len;
    int pos = off;
    int type = -1;
    int version = 0;
    WireReader reader = new WireReader(buf, off);
    try {
      while (pos < end) {
        int frameNo = packs.size() + 1;
        int avail = end - pos;
        if (avail < WireWriter.FRAME_HEADER_BYTES) {
          return failed(packs, unknown, "frame " + frameNo + ": a frame header needs "
              + WireWriter.FRAME_HEADER_BYTES + " bytes, only " + avail + " remain at offset " + (pos - off));
        }
        type = buf[pos] & 0xff;
        reader.window(pos + 1, end);
        version = reader.i32("version");
        int length = reader.i32("length");
        int bodyStart = pos + WireWriter.FRAME_HEADER_BYTES;
        if (length < 0) {
          return failed(packs, unknown, context(frameNo, type, version) + "negative body length " + length
              + " at offset " + (pos + 5 - off));
        }
        if (length > end - bodyStart) {
          return failed(packs, unknown, context(frameNo, type, version) + "body length " + length
              + " exceeds the " + (end - bodyStart) + " bytes remaining at offset " + (bodyStart - off));
        }
        Pack p;
        if (!PackType.isKnown(type) || (PackType.hasTxHeader(type) && !PackType.isPythonFamily(version)
            && !(type == PackType.TX_START_END && PackType.isGoFamily(version)))
            || (PackType.isStats(type) && version != PackType.STATS_VERSION)) {
          p = new UnknownPack(type, version, length);
          unknown++;
        } else {
          try {
            p = readBody(type, version, reader.window(bodyStart, bodyStart + length), memo);
          } catch (WireReader.Malformed e) {
            return failed(packs, unknown, context(frameNo, type, version) + e.getMessage());
          }
        }
        packs.add(p);
        pos = bodyStart + length;
      }
    } catch (RuntimeException e) {
      // A bug here must cost one datagram, not the receiver thread.
      return failed(packs, unknown, context(packs.size() + 1, type, version) + "internal decoder error: " + e);
    }
    return new DecodeResult(Collections.unmodifiableList(packs), unknown, null, packs.size());
  }

  private static String context(int frameNo, int type, int version) {
    return "frame " + frameNo + " (" + PackType.name(type) + ", version " + version + "): ";
  }

  private static DecodeResult failed(List<Pack> packs, int unknown, String error) {
    return new DecodeResult(Collections.unmodifiableList(packs), unknown, error, packs.size());
  }

  private static Pack readBody(int type, int version, WireReader r, TextMemo memo) {
    switch (type) {
      case PackType.TX_START: {
        TxHeader h = header(r);
        String host = r.text("host text", memo, TextMemo.HOST);
        String uri = r.text("uri text", memo, TextMemo.URI);
        String ip = r.text("ipaddr text", memo, TextMemo.IP);
        String ua = r.text("userAgent text", memo, TextMemo.USER_AGENT);
        String referer = r.text("referer text", memo, TextMemo.REFERER);
        String wClientId = r.text("wClientId text");
        boolean isStatic = r.boolText("isStaticContents text");
        String method = version >= 20104 ? r.text("httpMethod text", memo, TextMemo.METHOD) : "";
        return new TxStartPack(h, host, uri, ip, ua, referer, wClientId, isStatic, method);
      }
      case PackType.TX_END: {
        TxHeader h = header(r);
        String host = r.text("host text", memo, TextMemo.HOST);
        String uri = r.text("uri text", memo, TextMemo.URI);
        long mtid = r.longText("mtid text");
        int mdepth = r.intText("mdepth text");
        long mcallerTxid = r.longText("mcallerTxid text");
        long mcallerPcode = r.longText("mcallerPcode text");
        String spec = r.text("mcallerSpec text");
        String url = r.text("mcallerUrl text");
        String poidKey = r.text("mcallerPoidKey text");
        int status = version >= 20104 ? r.intText("status text") : 0;
        boolean llm = version >= 20105 && r.intText("isLlm text") != 0;
        long stepId = version >= 20106 ? r.longText("mcallerStepId text") : 0;
        return new TxEndPack(h, host, uri, mtid, mdepth, mcallerTxid, mcallerPcode, spec, url, poidKey,
            status, llm, stepId);
      }
      case PackType.TX_DB_CONN:
        return new TxDbConnPack(header(r), r.text("dbc text"));
      case PackType.TX_SQL: {
        TxHeader h = header(r);
        String dbc = r.text("dbc text");
        String sql = r.text("sql text");
        int fetch = version >= 20102 ? r.intText("fetch text") : 0;
        return new TxSqlPack(h, dbc, sql, fetch);
      }
      case PackType.TX_HTTPC: {
        TxHeader h = header(r);
        String url = r.text("url text");
        long stepId = r.longText("stepId text");
        String driver = version >= 20105 ? r.text("driver text") : "";
        return new TxHttpcPack(h, url, stepId, driver);
      }
      case PackType.TX_ERROR: {
        TxHeader h = header(r);
        String errorClass = r.text("errorClass text");
        String message = r.text("message text");
        return new TxErrorPack(h, errorClass, message, r.text("stack text"));
      }
      case PackType.TX_MSG: {
        TxHeader h = header(r);
        String title = r.text("title text");
        String value = r.text("value text");
        return new TxMsgPack(h, title, value, r.text("description text"));
      }
      case PackType.TX_METHOD: {
        TxHeader h = header(r);
        String method = r.text("method text");
        return new TxMethodPack(h, method, r.text("stack text"));
      }
      case PackType.TX_START_END: {
        TxHeader h = header(r);
        String host = r.text("host text", memo, TextMemo.HOST);
        String uri = r.text("uri text", memo, TextMemo.URI);
        String ip = r.text("ipaddr text", memo, TextMemo.IP);
        String ua = r.text("userAgent text", memo, TextMemo.USER_AGENT);
        String referer = r.text("referer text", memo, TextMemo.REFERER);
        String wClientId = r.text("wClientId text");
        boolean go = PackType.isGoFamily(version);
        String method = go ? r.text("httpMethod text", memo, TextMemo.METHOD) : "";
        boolean isStatic = !go && r.boolText("isStaticContents text");
        long mtid = r.longText("mtid text");
        int mdepth = r.intText("mdepth text");
        long mcallerTxid = r.longText("mcallerTxid text");
        long mcallerPcode = r.longText("mcallerPcode text");
        String spec = r.text("mcallerSpec text");
        String url = r.text("mcallerUrl text");
        String poidKey = r.text("mcallerPoidKey text");
        int status = go && version >= 50100 ? r.intText("status text") : 0;
        long stepId = 0;
        if (go && version >= 50101) {
          stepId = r.longText("mcallerStepId text");
          r.text("xTraceId text");
        }
        return new TxStartEndPack(h, host, uri, ip, ua, referer, wClientId, isStatic, mtid, mdepth,
            mcallerTxid, mcallerPcode, spec, url, poidKey, method, status, stepId);
      }
      case PackType.TX_PARAM: {
        String paramId = r.text("paramId text");
        String requestId = r.text("requestId text");
        return new TxParamPack(paramId, requestId, r.text("data text"));
      }
      case PackType.ACTIVE_STACK:
        return new ActiveStackPack(r.text("data text"));
      case PackType.ACTIVE_STATS:
        return new ActiveStatsPack(r.intListText("data text"));
      case PackType.DBCONN_POOL:
        return new DbConnPoolPack(r.text("data text"));
      case PackType.RELAY_PACK:
        return relay(r);
      case PackType.STATS_ROW: {
        int pid = r.i32("pid");
        long start = r.i64("start");
        long end = r.i64("end");
        String name = r.text("name text", memo, TextMemo.URI);
        int statusClass = r.u8("status class");
        long count = r.i64("count");
        long errors = r.i64("errors");
        long sum = r.i64("elapsed sum");
        int min = r.i32("elapsed min");
        int max = r.i32("elapsed max");
        long cpu = r.i64("cpu sum");
        long steps = r.i64("steps");
        int[] histogram = new int[ElapsedBuckets.COUNT];
        readSparse(r, histogram, null);
        return new StatsRowPack(pid, start, end, name, statusClass, count, errors, sum, min, max, cpu, steps,
            histogram);
      }
      case PackType.STATS_HITMAP: {
        int pid = r.i32("pid");
        long slotStart = r.i64("slot start");
        int slotMs = r.i32("slot ms");
        int[] counts = new int[ElapsedBuckets.COUNT];
        int[] errors = new int[ElapsedBuckets.COUNT];
        readSparse(r, counts, errors);
        return new StatsHitmapPack(pid, slotStart, slotMs, counts, errors);
      }
      default:
        throw r.malformed("no reader for type " + type);
    }
  }

  /** A sparse histogram: a u16 count, then (u16 bucket index, int32 count[, int32 errors]) each. */
  private static void readSparse(WireReader r, int[] counts, int[] errors) {
    int n = r.u16("histogram entries");
    for (int k = 0; k < n; k++) {
      int i = r.u16("bucket index");
      if (i >= ElapsedBuckets.COUNT) {
        throw r.malformed("bucket index " + i + " beyond the " + ElapsedBuckets.COUNT + " elapsed buckets");
      }
      counts[i] = r.i32("bucket count");
      if (errors != null) {
        errors[i] = r.i32("bucket errors");
      }
    }
  }

  private static TxHeader header(WireReader r) {
    long txid = r.i64("txid");
    long time = r.i64("time");
    int elapsed = r.i32("elapsed");
    long cpu = r.i64("cpu");
    long mem = r.i64("mem");
    int pid = r.i32("pid");
    long threadId = r.i64("threadId");
    return new TxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
  }

  private static RelayPack relay(WireReader r) {
    int start = r.position();
    byte[] raw = r.rest();
    if (raw.length < 2 || (((raw[0] & 0xff) << 8) | (raw[1] & 0xff)) != TagCountPack.PACK_TYPE) {
      return new RelayPack(null, raw);
    }
    r.window(start + 2, start + raw.length);
    try {
      return new RelayPack(tagCount(r), raw);
    } catch (WireReader.Malformed e) {
      throw r.malformed("relayed TagCountPack: " + e.getMessage());
    }
  }

  private static TagCountPack tagCount(WireReader r) {
    int headerVersion = r.u8("pack header");
    long pcode;
    int oid;
    long time;
    if (headerVersion <= 8) {
      // the byte is the width of the decimal pcode
      pcode = r.decimalOfWidth(headerVersion, "pcode");
      oid = r.i32("oid");
      time = r.i64("time");
    } else {
      // extended header: okind and onode are not kept
      pcode = r.decimal("pcode");
      oid = r.i32("oid");
      r.i32("okind");
      r.i32("onode");
      time = r.i64("time");
    }
    r.u8("TagCountPack version byte");
    String category = r.blobText("category");
    r.decimal("tag hash");
    Map<String, Object> tags = map(r, "tags");
    Map<String, Object> fields = map(r, "fields");
    return new TagCountPack(pcode, oid, time, category, tags, fields);
  }

  private static Map<String, Object> map(WireReader r, String what) {
    int at = r.offset();
    Object v = value(r, 0);
    if (!(v instanceof Map)) {
      throw r.malformed(what + " at offset " + at + " is " + (v == null ? "a null value" : "a " + v.getClass().getSimpleName())
          + ", not a map");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    return m;
  }

  private static Object value(WireReader r, int depth) {
    if (depth > PackEncoder.MAX_VALUE_DEPTH) {
      throw r.malformed("values nest deeper than " + PackEncoder.MAX_VALUE_DEPTH + " levels at offset " + r.offset());
    }
    int typeAt = r.offset();
    int t = r.u8("value type");
    switch (t) {
      case 0:
        return null;
      case 10:
        return r.u8("boolean value") == 1;
      case 20:
        return r.decimal("decimal value");
      case 21:
      case 51: // TextHashValue: an int hash of a text, kept as the Integer it is
        return r.i32("int value");
      case 22:
        return r.i64("long value");
      case 30:
        return Float.intBitsToFloat(r.i32("float value"));
      case 40:
        return Double.longBitsToDouble(r.i64("double value"));
      case 50:
        return r.blobText("text value");
      case 60:
        return r.blob("blob value");
      case 70: {
        long count = r.decimal("list size");
        // every element takes at least its type byte
        if (count < 0 || count > r.remaining()) {
          throw r.malformed("list of " + count + " values cannot fit in the " + r.remaining()
              + " bytes remaining at offset " + r.offset());
        }
        List<Object> list = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
          list.add(value(r, depth + 1));
        }
        return Collections.unmodifiableList(list);
      }
      case 80: {
        long count = r.decimal("map size");
        // every entry takes at least a key length byte and a value type byte
        if (count < 0 || count > r.remaining() / 2) {
          throw r.malformed("map of " + count + " entries cannot fit in the " + r.remaining()
              + " bytes remaining at offset " + r.offset());
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
          String key = r.blobText("map key");
          map.put(key, value(r, depth + 1));
        }
        return Collections.unmodifiableMap(map);
      }
      default:
        throw r.malformed("unsupported golib value type " + t + " at offset " + typeAt);
    }
  }
}
