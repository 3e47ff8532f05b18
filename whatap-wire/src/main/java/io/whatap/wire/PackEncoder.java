package io.whatap.wire;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one encoder: every frame layout (version {@link PackType#VERSION}) is written here and
 * nowhere else, into a {@link WireWriter}.
 *
 * <p>Each static helper below writes one complete frame, every field that version declares, in
 * wire order, with the {@link WireLimits} truncation applied; they allocate nothing for their
 * primitive and {@code String} arguments, so whatap-api's sender calls them on its hot path.
 * {@link #encode(Pack, WireWriter)} does the same from the {@link Pack} records (tests, tools).
 *
 * <p>Texts that repeat from one transaction to the next (host, uri, client ip, user agent,
 * referer, HTTP method) go through a {@linkplain WireWriter#writeText(String, int, int) text slot}
 * of the writer, one slot per field ({@link #SLOT_HOST} ...): a writer that is reused across
 * frames copies the bytes of a text it has just written instead of encoding the characters again.
 * The bytes are the same either way; a writer used once never finds a slot filled.
 *
 * <p>Field order of the bodies (after the 48-byte {@linkplain WireWriter#writeTxHeader transaction
 * header} for TX_* packs; "text" is an unsigned-16 length + UTF-8, "number" a decimal text with 0
 * sent as empty):
 * <ul>
 * <li>TX_START: host, uri, client ip, user agent, referer, web client id, "true"/"false" static contents, HTTP method</li>
 * <li>TX_END: host, uri, number mtid, number mdepth, number mcallerTxid, number mcallerPcode, mcallerSpec,
 *     mcallerUrl, mcallerPoidKey, number status, number isLlm (1 or empty), number mcallerStepId</li>
 * <li>TX_DB_CONN: db connection url</li>
 * <li>TX_SQL: db connection url, SQL, number fetch</li>
 * <li>TX_HTTPC: url, number step id, driver</li>
 * <li>TX_ERROR: error class, message, stack</li>
 * <li>TX_MSG: title, value, description</li>
 * <li>TX_METHOD: method, stack</li>
 * <li>TX_START_END: host, uri, client ip, user agent, referer, web client id, static contents, number mtid,
 *     number mdepth, number mcallerTxid, number mcallerPcode, mcallerSpec, mcallerUrl, mcallerPoidKey</li>
 * <li>TX_PARAM (no header): param id, request id, data</li>
 * <li>ACTIVE_STACK, DBCONN_POOL (no header): data</li>
 * <li>ACTIVE_STATS (no header): the counts as the text "3,1,0,2,0"</li>
 * <li>RELAY_PACK (no header): a serialized golib pack, here a TagCountPack ({@link #encodeTagCount})</li>
 * </ul>
 * Ours, version {@link PackType#STATS_VERSION}, sent only in stats mode ({@link StatsOffer}); int32/int64
 * are plain big-endian, "u16" unsigned 16 bits, histograms sparse (a u16 count of non-zero buckets,
 * then for each its {@link ElapsedBuckets} index as u16 and the count(s) as int32):
 * <ul>
 * <li>STATS_ROW: int32 pid, int64 start, int64 end, name text, u8 status class, int64 count, int64 errors,
 *     int64 elapsed sum, int32 elapsed min, int32 elapsed max, int64 cpu sum, int64 steps, histogram (count)</li>
 * <li>STATS_HITMAP: int32 pid, int64 slot start, int32 slot ms, histogram (count, errors)</li>
 * </ul>
 */
public final class PackEncoder {
  private static final int VALUE_NULL = 0;
  private static final int VALUE_BOOLEAN = 10;
  private static final int VALUE_DECIMAL = 20;
  private static final int VALUE_DECIMAL_INT = 21;
  private static final int VALUE_FLOAT = 30;
  private static final int VALUE_DOUBLE = 40;
  private static final int VALUE_TEXT = 50;
  private static final int VALUE_BLOB = 60;
  private static final int VALUE_LIST = 70;
  private static final int VALUE_MAP = 80;
  /** Deeper nesting is a map or list that contains itself, not a counter. */
  static final int MAX_VALUE_DEPTH = 16;

  /** golib's tag hash runs over the standard CRC-32 table (reflected polynomial 0xEDB88320). */
  private static final int[] CRC_TABLE = new int[256];

  static {
    for (int n = 0; n < 256; n++) {
      int c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      }
      CRC_TABLE[n] = c;
    }
  }

  /** The {@link WireWriter} text slots of the fields that repeat between transactions. */
  public static final int SLOT_HOST = 0;
  public static final int SLOT_URI = 1;
  public static final int SLOT_IP = 2;
  public static final int SLOT_USER_AGENT = 3;
  public static final int SLOT_REFERER = 4;
  public static final int SLOT_METHOD = 5;

  /** Title (and value) of the TX_MSG that carries the captured request headers ({@link #txCapturedHeaders}). */
  public static final String HTTP_HEADERS_TITLE = "HTTP-HEADERS";
  /** Title of the TX_MSG that counts the steps a transaction could not record ({@link #txStepsDropped}). */
  public static final String STEPS_DROPPED_TITLE = "PROFILE-STEPS-DROPPED";

  private PackEncoder() {
  }

  /** Writes one frame for any record except {@link UnknownPack}, which has no body to write. */
  public static void encode(Pack p, WireWriter out) {
    Objects.requireNonNull(p, "pack");
    if (p instanceof TxStartPack x) {
      TxHeader h = x.header();
      txStart(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.host(), x.uri(),
          x.ipaddr(), x.userAgent(), x.referer(), x.wClientId(), x.staticContents(), x.httpMethod());
    } else if (p instanceof TxEndPack x) {
      TxHeader h = x.header();
      txEnd(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.host(), x.uri(),
          x.mtid(), x.mdepth(), x.mcallerTxid(), x.mcallerPcode(), x.mcallerSpec(), x.mcallerUrl(),
          x.mcallerPoidKey(), x.status(), x.llm(), x.mcallerStepId());
    } else if (p instanceof TxDbConnPack x) {
      TxHeader h = x.header();
      txDbConn(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.dbc());
    } else if (p instanceof TxSqlPack x) {
      TxHeader h = x.header();
      txSql(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.dbc(), x.sql(),
          x.fetch());
    } else if (p instanceof TxHttpcPack x) {
      TxHeader h = x.header();
      txHttpc(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.url(),
          x.stepId(), x.driver());
    } else if (p instanceof TxErrorPack x) {
      TxHeader h = x.header();
      txError(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.errorClass(),
          x.message(), x.stack());
    } else if (p instanceof TxMsgPack x) {
      TxHeader h = x.header();
      txMsg(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.title(),
          x.value(), x.description());
    } else if (p instanceof TxMethodPack x) {
      TxHeader h = x.header();
      txMethod(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.method(),
          x.stack());
    } else if (p instanceof TxStartEndPack x) {
      TxHeader h = x.header();
      txStartEnd(out, h.txid(), h.time(), h.elapsed(), h.cpu(), h.mem(), h.pid(), h.threadId(), x.host(),
          x.uri(), x.ipaddr(), x.userAgent(), x.referer(), x.wClientId(), x.staticContents(), x.mtid(),
          x.mdepth(), x.mcallerTxid(), x.mcallerPcode(), x.mcallerSpec(), x.mcallerUrl(),
          x.mcallerPoidKey());
    } else if (p instanceof TxParamPack x) {
      txParam(out, x.paramId(), x.requestId(), x.data());
    } else if (p instanceof ActiveStackPack x) {
      activeStack(out, x.data());
    } else if (p instanceof ActiveStatsPack x) {
      activeStats(out, x.bands());
    } else if (p instanceof DbConnPoolPack x) {
      dbConnPool(out, x.data());
    } else if (p instanceof RelayPack x) {
      if (x.raw() != null) {
        relayRaw(out, x.raw(), 0, x.raw().length);
      } else if (x.tagCount() != null) {
        relayTagCount(out, x.tagCount());
      } else {
        throw new IllegalArgumentException("RelayPack with neither raw bytes nor a TagCountPack");
      }
    } else if (p instanceof StatsRowPack x) {
      statsRow(out, x.pid(), x.start(), x.end(), x.name(), x.statusClass(), x.count(), x.errors(), x.elapsedSum(),
          x.elapsedMin(), x.elapsedMax(), x.cpuSum(), x.steps(), x.histogram());
    } else if (p instanceof StatsHitmapPack x) {
      statsHitmap(out, x.pid(), x.slotStart(), x.slotMs(), x.counts(), x.errors());
    } else {
      UnknownPack u = (UnknownPack) p;
      throw new IllegalArgumentException("cannot encode an UnknownPack (type " + u.type() + ", version "
          + u.version() + "): only its length was read");
    }
  }

  /**
   * STATS_ROW frame: one (name, status class)'s statistics of one interval; {@code histogram} is
   * indexed by {@link ElapsedBuckets} and written sparse.
   */
  public static void statsRow(WireWriter out, int pid, long start, long end, String name, int statusClass, long count,
      long errors, long elapsedSum, int elapsedMin, int elapsedMax, long cpuSum, long steps, int[] histogram) {
    int mark = out.beginFrame(PackType.STATS_ROW, PackType.STATS_VERSION);
    out.writeInt(pid);
    out.writeLong(start);
    out.writeLong(end);
    out.writeText(name, WireLimits.URI);
    out.writeByte(statusClass);
    out.writeLong(count);
    out.writeLong(errors);
    out.writeLong(elapsedSum);
    out.writeInt(elapsedMin);
    out.writeInt(elapsedMax);
    out.writeLong(cpuSum);
    out.writeLong(steps);
    writeSparse(out, histogram, null);
    out.endFrame(mark);
  }

  /** STATS_HITMAP frame: one end-time slot's counts (and errors) per {@link ElapsedBuckets} bucket, written sparse. */
  public static void statsHitmap(WireWriter out, int pid, long slotStart, int slotMs, int[] counts, int[] errors) {
    int mark = out.beginFrame(PackType.STATS_HITMAP, PackType.STATS_VERSION);
    out.writeInt(pid);
    out.writeLong(slotStart);
    out.writeInt(slotMs);
    writeSparse(out, counts, errors);
    out.endFrame(mark);
  }

  private static void writeSparse(WireWriter out, int[] counts, int[] errors) {
    int n = 0;
    int len = Math.min(counts.length, ElapsedBuckets.COUNT);
    for (int i = 0; i < len; i++) {
      if (counts[i] != 0) {
        n++;
      }
    }
    out.writeShort(n);
    for (int i = 0; i < len; i++) {
      if (counts[i] != 0) {
        out.writeShort(i);
        out.writeInt(counts[i]);
        if (errors != null) {
          out.writeInt(errors[i]);
        }
      }
    }
  }

  /** TX_START frame; see the class javadoc for the field order. */
  public static void txStart(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String host, String uri, String ip, String userAgent, String referer, String wClientId,
      boolean staticContents, String httpMethod) {
    int mark = out.beginFrame(PackType.TX_START);
    writeRequest(out, txid, time, elapsed, cpu, mem, pid, threadId, host, uri, ip, userAgent, referer, wClientId);
    out.writeBooleanText(staticContents);
    out.writeText(httpMethod, WireLimits.HTTP_METHOD, SLOT_METHOD);
    out.endFrame(mark);
  }

  /** TX_END frame; {@code llm} goes as "1" or empty, like golib's IsLlm int. */
  public static void txEnd(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String host, String uri, long mtid, int mdepth, long mcallerTxid, long mcallerPcode,
      String mcallerSpec, String mcallerUrl, String mcallerPoidKey, int status, boolean llm,
      long mcallerStepId) {
    int mark = out.beginFrame(PackType.TX_END);
    out.writeTxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
    out.writeText(host, WireLimits.HOST, SLOT_HOST);
    out.writeText(uri, WireLimits.URI, SLOT_URI);
    writeCaller(out, mtid, mdepth, mcallerTxid, mcallerPcode, mcallerSpec, mcallerUrl, mcallerPoidKey);
    out.writeDecimalText(status);
    out.writeDecimalText(llm ? 1 : 0);
    out.writeDecimalText(mcallerStepId);
    out.endFrame(mark);
  }

  public static void txDbConn(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String dbc) {
    int mark = out.beginFrame(PackType.TX_DB_CONN);
    out.writeTxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
    out.writeText(dbc, WireLimits.DEFAULT);
    out.endFrame(mark);
  }

  /** TX_SQL frame; {@code fetch} is the row count, 0 (sent empty) when unknown. */
  public static void txSql(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String dbc, String sql, int fetch) {
    int mark = out.beginFrame(PackType.TX_SQL);
    out.writeTxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
    out.writeText(dbc, WireLimits.DEFAULT);
    out.writeText(sql, WireLimits.SQL);
    out.writeDecimalText(fetch);
    out.endFrame(mark);
  }

  public static void txHttpc(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String url, long stepId, String driver) {
    int mark = out.beginFrame(PackType.TX_HTTPC);
    out.writeTxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
    out.writeText(url, WireLimits.HTTPC_URL);
    out.writeDecimalText(stepId);
    out.writeText(driver, WireLimits.DEFAULT);
    out.endFrame(mark);
  }

  public static void txError(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String errorClass, String message, String stack) {
    int mark = out.beginFrame(PackType.TX_ERROR);
    out.writeTxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
    out.writeText(errorClass, WireLimits.DEFAULT);
    out.writeText(message, WireLimits.ERROR_MESSAGE);
    out.writeText(stack, WireLimits.STACK);
    out.endFrame(mark);
  }

  public static void txMsg(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String title, String value, String description) {
    int mark = out.beginFrame(PackType.TX_MSG);
    out.writeTxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
    out.writeText(title, WireLimits.MESSAGE_TITLE);
    out.writeText(value, WireLimits.DEFAULT);
    out.writeText(description, WireLimits.MESSAGE);
    out.endFrame(mark);
  }

  /**
   * The TX_MSG carrying the request headers that {@code trace_http_headers} captured: title and
   * value {@link #HTTP_HEADERS_TITLE}, the description {@code name=value} lines.
   */
  public static void txCapturedHeaders(WireWriter out, long txid, long time, int pid, long threadId,
      String headerLines) {
    txMsg(out, txid, time, 0, 0, 0, pid, threadId, HTTP_HEADERS_TITLE, HTTP_HEADERS_TITLE, headerLines);
  }

  /**
   * The TX_MSG saying how many steps a transaction could not record ({@code profile_step_max}):
   * title {@link #STEPS_DROPPED_TITLE}, the count as the value, written without a String.
   */
  public static void txStepsDropped(WireWriter out, long txid, long time, int pid, long threadId, int dropped) {
    int mark = out.beginFrame(PackType.TX_MSG);
    out.writeTxHeader(txid, time, 0, 0, 0, pid, threadId);
    out.writeText(STEPS_DROPPED_TITLE, WireLimits.MESSAGE_TITLE);
    out.writeDecimalText(dropped);
    out.writeText("steps over profile_step_max were not recorded", WireLimits.MESSAGE);
    out.endFrame(mark);
  }

  public static void txMethod(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String method, String stack) {
    int mark = out.beginFrame(PackType.TX_METHOD);
    out.writeTxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
    out.writeText(method, WireLimits.DEFAULT);
    out.writeText(stack, WireLimits.STACK);
    out.endFrame(mark);
  }

  public static void txStartEnd(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String host, String uri, String ip, String userAgent, String referer, String wClientId,
      boolean staticContents, long mtid, int mdepth, long mcallerTxid, long mcallerPcode, String mcallerSpec,
      String mcallerUrl, String mcallerPoidKey) {
    int mark = out.beginFrame(PackType.TX_START_END);
    writeRequest(out, txid, time, elapsed, cpu, mem, pid, threadId, host, uri, ip, userAgent, referer, wClientId);
    out.writeBooleanText(staticContents);
    writeCaller(out, mtid, mdepth, mcallerTxid, mcallerPcode, mcallerSpec, mcallerUrl, mcallerPoidKey);
    out.endFrame(mark);
  }

  /**
   * TX_START_END in the Go family's layout ({@link PackType#GO_START_END_VERSION}): host, uri, client ip,
   * user agent, referer, web client id, HTTP method, number mtid, number mdepth, number mcallerTxid,
   * number mcallerPcode, mcallerSpec, mcallerUrl, mcallerPoidKey, number status, number mcallerStepId,
   * x-trace id (empty). The header's time is the transaction's start and elapsed its duration.
   */
  public static void txStartEndGo(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String host, String uri, String ip, String userAgent, String referer, String wClientId,
      String httpMethod, long mtid, int mdepth, long mcallerTxid, long mcallerPcode, String mcallerSpec,
      String mcallerUrl, String mcallerPoidKey, int status, long mcallerStepId) {
    int mark = out.beginFrame(PackType.TX_START_END, PackType.GO_START_END_VERSION);
    writeRequest(out, txid, time, elapsed, cpu, mem, pid, threadId, host, uri, ip, userAgent, referer, wClientId);
    out.writeText(httpMethod, WireLimits.HTTP_METHOD, SLOT_METHOD);
    writeCaller(out, mtid, mdepth, mcallerTxid, mcallerPcode, mcallerSpec, mcallerUrl, mcallerPoidKey);
    out.writeDecimalText(status);
    out.writeDecimalText(mcallerStepId);
    out.writeText("", WireLimits.DEFAULT);
    out.endFrame(mark);
  }

  /** What TX_START and both TX_START_END layouts begin with: the header, then host, uri, ip, user agent, referer, client id. */
  private static void writeRequest(WireWriter out, long txid, long time, int elapsed, long cpu, long mem, int pid,
      long threadId, String host, String uri, String ip, String userAgent, String referer, String wClientId) {
    out.writeTxHeader(txid, time, elapsed, cpu, mem, pid, threadId);
    out.writeText(host, WireLimits.HOST, SLOT_HOST);
    out.writeText(uri, WireLimits.URI, SLOT_URI);
    out.writeText(ip, WireLimits.IP, SLOT_IP);
    out.writeText(userAgent, WireLimits.USER_AGENT, SLOT_USER_AGENT);
    out.writeText(referer, WireLimits.REFERER, SLOT_REFERER);
    out.writeText(wClientId, WireLimits.CLIENT_ID);
  }

  /**
   * The caller's identity as TX_END and both TX_START_END layouts carry it: number mtid, number
   * mdepth, number mcallerTxid, number mcallerPcode, mcallerSpec, mcallerUrl, mcallerPoidKey.
   */
  public static void writeCaller(WireWriter out, long mtid, int mdepth, long mcallerTxid, long mcallerPcode,
      String mcallerSpec, String mcallerUrl, String mcallerPoidKey) {
    out.writeDecimalText(mtid);
    out.writeDecimalText(mdepth);
    out.writeDecimalText(mcallerTxid);
    out.writeDecimalText(mcallerPcode);
    out.writeText(mcallerSpec, WireLimits.DEFAULT);
    out.writeText(mcallerUrl, WireLimits.URI);
    out.writeText(mcallerPoidKey, WireLimits.DEFAULT);
  }

  public static void txParam(WireWriter out, String paramId, String requestId, String data) {
    int mark = out.beginFrame(PackType.TX_PARAM);
    out.writeText(paramId, WireLimits.DEFAULT);
    out.writeText(requestId, WireLimits.DEFAULT);
    out.writeText(data, WireLimits.MESSAGE);
    out.endFrame(mark);
  }

  public static void activeStack(WireWriter out, String data) {
    int mark = out.beginFrame(PackType.ACTIVE_STACK);
    out.writeText(data, WireLimits.STACK);
    out.endFrame(mark);
  }

  /** ACTIVE_STATS frame: counts joined by commas, zero as "0"; bands past {@link WireLimits#DEFAULT} bytes are dropped. */
  public static void activeStats(WireWriter out, int[] bands) {
    int mark = out.beginFrame(PackType.ACTIVE_STATS);
    int at = out.beginText();
    if (bands != null) {
      for (int i = 0; i < bands.length; i++) {
        // 12 = a comma and the longest int ("-2147483648")
        if (out.size() - at - 2 + 12 > WireLimits.DEFAULT) {
          break;
        }
        if (i > 0) {
          out.writeByte(',');
        }
        out.appendDecimal(bands[i]);
      }
    }
    out.endText(at);
    out.endFrame(mark);
  }

  public static void dbConnPool(WireWriter out, String data) {
    int mark = out.beginFrame(PackType.DBCONN_POOL);
    out.writeText(data, WireLimits.MESSAGE);
    out.endFrame(mark);
  }

  /**
   * RELAY_PACK frame carrying {@code p} serialized as golib does ({@link #encodeTagCount}).
   * On an unencodable value nothing is left in {@code out} and the exception propagates.
   */
  public static void relayTagCount(WireWriter out, TagCountPack p) {
    int mark = out.beginFrame(PackType.RELAY_PACK);
    try {
      writeTagCount(out, p);
    } catch (RuntimeException e) {
      out.truncateTo(mark);
      throw e;
    }
    out.endFrame(mark);
  }

  /** RELAY_PACK frame around an already serialized golib pack. */
  public static void relayRaw(WireWriter out, byte[] raw, int off, int len) {
    int mark = out.beginFrame(PackType.RELAY_PACK);
    out.writeBytes(raw, off, len);
    out.endFrame(mark);
  }

  /**
   * A TagCountPack as golib's {@code pack.ToBytesPack}: int16 pack type 0x1601, the pack header
   * (decimal pcode, int32 oid, int64 time), a zero byte, the category (golib WriteText), the
   * decimal tag hash, the tags MapValue, the fields MapValue.
   *
   * @throws IllegalArgumentException if the values nest deeper than 16 levels (a self-containing map or list)
   */
  public static byte[] encodeTagCount(TagCountPack p) {
    WireWriter w = new WireWriter(256);
    writeTagCount(w, p);
    return w.toByteArray();
  }

  /**
   * golib's tag hash: its CRC-64-like {@code hash.Hash64} over the serialized tags MapValue (type
   * byte included); 0 for no tags.
   */
  public static long tagHash(Map<String, ?> tags) {
    if (tags == null || tags.isEmpty()) {
      return 0;
    }
    WireWriter w = new WireWriter(256);
    writeValue(w, tags, 0);
    return hash64(w.array(), 0, w.size());
  }

  static void writeTagCount(WireWriter out, TagCountPack p) {
    out.writeShort(TagCountPack.PACK_TYPE);
    out.writeDecimal(p.pcode());
    out.writeInt(p.oid());
    out.writeLong(p.time());
    out.writeByte(0);
    out.writeBlobText(p.category(), WireLimits.DEFAULT);
    Map<String, Object> tags = p.tags();
    if (tags.isEmpty()) {
      out.writeDecimal(0);
      writeValue(out, tags, 0);
    } else {
      // The hash precedes the tags it covers: write the tags, hash them, then slot the hash in front.
      int at = out.size();
      writeValue(out, tags, 0);
      long hash = hash64(out.array(), at, out.size() - at);
      out.insertGap(at, 1 + WireWriter.decimalWidth(hash));
      out.putDecimalAt(at, hash);
    }
    writeValue(out, p.fields(), 0);
  }

  /**
   * golib {@code hash.Hash64}: CRC-32's table and shift, but in a 64-bit register, with each
   * table entry sign-extended from 32 bits (golib converts it through int32). That quirk is
   * what puts bits in the upper half of the result.
   */
  static long hash64(byte[] b, int off, int len) {
    long crc = -1L;
    for (int i = off, end = off + len; i < end; i++) {
      crc = (crc >>> 8) ^ CRC_TABLE[(int) ((crc ^ b[i]) & 0xff)];
    }
    return ~crc;
  }

  private static void writeValue(WireWriter out, Object v, int depth) {
    if (depth > MAX_VALUE_DEPTH) {
      throw new IllegalArgumentException("TagCountPack values nest deeper than " + MAX_VALUE_DEPTH
          + " levels (a map or list that contains itself?)");
    }
    if (v == null) {
      out.writeByte(VALUE_NULL);
    } else if (v instanceof String s) {
      out.writeByte(VALUE_TEXT);
      out.writeBlobText(s, WireLimits.MESSAGE);
    } else if (v instanceof Integer i) {
      out.writeByte(VALUE_DECIMAL_INT);
      out.writeInt(i);
    } else if (v instanceof Long l) {
      out.writeByte(VALUE_DECIMAL);
      out.writeDecimal(l);
    } else if (v instanceof Double d) {
      out.writeByte(VALUE_DOUBLE);
      out.writeDouble(d);
    } else if (v instanceof Float f) {
      out.writeByte(VALUE_FLOAT);
      out.writeFloat(f);
    } else if (v instanceof Boolean b) {
      out.writeByte(VALUE_BOOLEAN);
      out.writeByte(b ? 1 : 0);
    } else if (v instanceof Map<?, ?> m) {
      out.writeByte(VALUE_MAP);
      out.writeDecimal(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.writeBlobText(String.valueOf(e.getKey()), WireLimits.DEFAULT);
        writeValue(out, e.getValue(), depth + 1);
      }
    } else if (v instanceof Collection<?> c) {
      out.writeByte(VALUE_LIST);
      out.writeDecimal(c.size());
      for (Object item : c) {
        writeValue(out, item, depth + 1);
      }
    } else if (v instanceof byte[] b) {
      out.writeByte(VALUE_BLOB);
      out.writeBlob(b, 0, b.length);
    } else if (v instanceof Short || v instanceof Byte || v instanceof AtomicInteger || v instanceof AtomicLong
        || (v instanceof BigInteger big && big.bitLength() < 64)) {
      out.writeByte(VALUE_DECIMAL);
      out.writeDecimal(((Number) v).longValue());
    } else {
      out.writeByte(VALUE_TEXT);
      out.writeBlobText(v.toString(), WireLimits.MESSAGE);
    }
  }
}
