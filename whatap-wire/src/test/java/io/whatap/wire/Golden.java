package io.whatap.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The golden vectors of udp-golden.json (made by golib's encoder) and their fields as our records. */
final class Golden {
  /**
   * The JSON lists map keys sorted, but golib's MapValue keeps insertion order, so the order the
   * generator used is read off the relayed bytes: tags app, pid, oid; fields tps_x1000,
   * resp_time_avg_ms, active, cpu_pct, state, gc_alert.
   */
  private static final List<String> RELAY_TAG_ORDER = List.of("app", "pid", "oid(long)");
  private static final List<String> RELAY_FIELD_ORDER = List.of("tps_x1000(long)", "resp_time_avg_ms(double)",
      "active(int)", "cpu_pct(float)", "state(string)", "gc_alert(bool)");

  record Vector(String name, int type, int version, JsonNode fields, byte[] bytes) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static List<Vector> vectors;

  private Golden() {
  }

  static synchronized List<Vector> vectors() {
    if (vectors == null) {
      try (InputStream in = Golden.class.getResourceAsStream("/udp-golden.json")) {
        JsonNode root = new ObjectMapper().readTree(in);
        List<Vector> list = new ArrayList<>();
        for (JsonNode v : root) {
          list.add(new Vector(v.get("name").asText(), v.get("type").asInt(), v.get("version").asInt(),
              v.get("fields"), hex(v.get("hex").asText())));
        }
        vectors = List.copyOf(list);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return vectors;
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** The pack to encode: the vector's fields as given (the long uri untruncated). */
  static Pack input(Vector v) {
    return pack(v, false);
  }

  /**
   * The pack the decoder must return: as {@link #input}, with the long uri cut to its 2048-byte
   * limit and the relay's raw bytes present.
   */
  static Pack decoded(Vector v) {
    return pack(v, true);
  }

  private static Pack pack(Vector v, boolean asDecoded) {
    JsonNode f = v.fields();
    switch (v.type()) {
      case PackType.TX_START: {
        String uri = f.has("uri") ? text(f, "uri")
            : longUri(f.get("uri_sent_length_before_truncation").asInt(), asDecoded);
        return new TxStartPack(header(f), text(f, "host"), uri, text(f, "ipaddr"), text(f, "userAgent"),
            text(f, "referer"), text(f, "wClientId"), Boolean.parseBoolean(text(f, "isStaticContents")),
            text(f, "httpMethod"));
      }
      case PackType.TX_END:
        return new TxEndPack(header(f), text(f, "host"), text(f, "uri"), f.path("mtid").asLong(),
            f.path("mdepth").asInt(), f.path("mcallerTxid").asLong(), f.path("mcallerPcode").asLong(),
            text(f, "mcallerSpec"), text(f, "mcallerUrl"), text(f, "mcallerPoidKey"),
            f.path("status").asInt(), f.path("isLlm").asInt() != 0, f.path("mcallerStepId").asLong());
      case PackType.TX_DB_CONN:
        return new TxDbConnPack(header(f), text(f, "dbc"));
      case PackType.TX_SQL:
        // "17 (sent as decimal text; ...)": the number is the leading token
        return new TxSqlPack(header(f), text(f, "dbc"), text(f, "sql"),
            Integer.parseInt(text(f, "fetch").split(" ")[0]));
      case PackType.TX_HTTPC:
        return new TxHttpcPack(header(f), text(f, "url"), f.path("stepId").asLong(), text(f, "driver"));
      case PackType.TX_ERROR:
        return new TxErrorPack(header(f), text(f, "errorType"), text(f, "errorMessage"), text(f, "stack"));
      case PackType.TX_MSG:
        return new TxMsgPack(header(f), text(f, "hash"), text(f, "value"), text(f, "desc"));
      case PackType.TX_METHOD:
        return new TxMethodPack(header(f), text(f, "method"), text(f, "stack"));
      case PackType.ACTIVE_STACK:
        return new ActiveStackPack(text(f, "data"));
      case PackType.ACTIVE_STATS: {
        JsonNode a = f.get("activeStats");
        int[] bands = new int[a.size()];
        for (int i = 0; i < bands.length; i++) {
          bands[i] = a.get(i).asInt();
        }
        return new ActiveStatsPack(bands);
      }
      case PackType.TX_PARAM:
        return new TxParamPack(text(f, "paramId"), text(f, "request"), text(f, "data"));
      case PackType.DBCONN_POOL:
        return new DbConnPoolPack(text(f, "data"));
      case PackType.RELAY_PACK:
        // to encode, only the fields: the relayed bytes must come out of the TagCountPack encoder
        return new RelayPack(relayedTagCount(v), asDecoded ? hex(text(f, "relayed_pack_hex")) : null);
      default:
        throw new IllegalArgumentException("no mapping for golden type " + v.type());
    }
  }

  static TagCountPack relayedTagCount(Vector v) {
    JsonNode f = v.fields();
    return new TagCountPack(f.get("pcode").asLong(), f.get("oid").asInt(), f.get("time").asLong(),
        text(f, "category"), typedMap(f.get("tags"), RELAY_TAG_ORDER),
        typedMap(f.get("fields"), RELAY_FIELD_ORDER));
  }

  /** Keys like {@code "cpu_pct(float)"} name the golib value type; a bare key is a text. */
  private static Map<String, Object> typedMap(JsonNode node, List<String> order) {
    if (node.size() != order.size()) {
      throw new IllegalStateException("golden map has keys " + node + ", expected " + order);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (String jsonKey : order) {
      JsonNode value = node.get(jsonKey);
      int paren = jsonKey.indexOf('(');
      String key = paren < 0 ? jsonKey : jsonKey.substring(0, paren);
      String kind = paren < 0 ? "string" : jsonKey.substring(paren + 1, jsonKey.length() - 1);
      Object o;
      switch (kind) {
        case "int": o = value.asInt(); break;
        case "long": o = value.asLong(); break;
        case "float": o = (float) value.asDouble(); break;
        case "double": o = value.asDouble(); break;
        case "bool": o = value.asBoolean(); break;
        case "string": o = value.asText(); break;
        default: throw new IllegalStateException("unknown golden value kind " + kind);
      }
      m.put(key, o);
    }
    return m;
  }

  /** The long-uri vector records only the length; its bytes show "/" followed by 'a's. */
  static String longUri(int length, boolean truncated) {
    String full = "/" + "a".repeat(length - 1);
    return truncated ? full.substring(0, WireLimits.URI) : full;
  }

  private static TxHeader header(JsonNode f) {
    return new TxHeader(f.get("txid").asLong(), f.get("time").asLong(), f.get("elapsed").asInt(),
        f.get("cpu").asLong(), f.get("mem").asLong(), f.get("pid").asInt(), f.get("threadId").asLong());
  }

  private static String text(JsonNode f, String name) {
    JsonNode n = f.get(name);
    return n == null ? "" : n.asText();
  }
}
