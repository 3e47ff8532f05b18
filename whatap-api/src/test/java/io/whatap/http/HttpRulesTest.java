package io.whatap.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

class HttpRulesTest {
  static HttpRules rules(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return new HttpRules(new Config(m));
  }

  @Test
  void resolveAnswersLikeIgnoredAndNameAndHandsOutOneNamePerShape() {
    HttpRules r = rules("trace_ignore_urls", "/health", "trace_ignore_extensions", "css");
    assertThat(r.resolve("/health").ignored).isTrue();
    assertThat(r.resolve("/site.css").ignored).isTrue();
    HttpRules.Resolved order = r.resolve(new String("/orders/12345"));
    assertThat(order.ignored).isFalse();
    assertThat(order.name).isEqualTo("/orders/{id}");
    assertThat(r.resolve(new String("/orders/12345"))).as("a path seen before").isSameAs(order);
    assertThat(r.resolve("/orders/777").name).as("another id, the same name instance").isSameAs(order.name);
    assertThat(r.resolve(null).name).isEqualTo("/");
    assertThat(r.resolve("").name).isEqualTo("/");
    for (int i = 0; i < 5000; i++) { // more paths than slots: still right, still bounded
      assertThat(r.resolve("/p/x" + i).name).isEqualTo("/p/x" + i);
    }
    String huge = "/" + "a".repeat(100_000);
    assertThat(r.resolve(huge).name).isEqualTo(huge);
  }

  @Test
  void aPathInTwoPartsResolvesAsTheWholePathAndFindsItWithoutBuildingIt() {
    HttpRules r = rules("trace_ignore_urls", "/health/live");
    HttpRules.Resolved whole = r.resolve(new String("/orders/12345"));
    assertThat(r.resolve(new String("/orders"), new String("/12345"))).as("seen whole before").isSameAs(whole);
    HttpRules.Resolved parts = r.resolve("/api", "/\u00e9t\u00e9/\u4e2d\u6587/42");
    assertThat(parts.name).isEqualTo("/api/\u00e9t\u00e9/\u4e2d\u6587/{id}");
    assertThat(r.resolve("/api/\u00e9t\u00e9/\u4e2d\u6587/42")).as("non-Latin: the same hash as String's").isSameAs(parts);
    assertThat(r.resolve("/health", "/live").ignored).isTrue();
    assertThat(r.resolve("/health/", "live").ignored).as("another split of the same path").isTrue();
    assertThat(r.resolve("/orders/1", "2345")).as("the same text, split elsewhere").isSameAs(whole);
    for (int i = 0; i < 5000; i++) { // colliding slots: a different path in the slot is never taken for this one
      assertThat(r.resolve("/p", "/y" + i).name).isEqualTo("/p/y" + i);
    }
  }

  @Test
  void routeTemplateWinsOverThePath() {
    assertThat(rules().name("/users/123", "/users/:id")).isEqualTo("/users/:id");
  }

  @Test
  void idsAreNormalized() {
    HttpRules r = rules();
    assertThat(r.name("/users/123", null)).isEqualTo("/users/{id}");
    assertThat(r.name("/users/123/orders/9", null)).isEqualTo("/users/{id}/orders/{id}");
    assertThat(r.name("/o/3f2504e0-4f89-11d3-9a0c-0305e82c3301/x", null)).isEqualTo("/o/{uuid}/x");
    assertThat(r.name("/blob/0123456789abcdef0123", null)).isEqualTo("/blob/{hex}");
    assertThat(r.name("/users/me", null)).isEqualTo("/users/me");
    assertThat(r.name("/deadbeefdeadbeef", null)).as("hex without a digit is a word").isEqualTo("/deadbeefdeadbeef");
    assertThat(r.name("/a/", null)).isEqualTo("/a/");
    assertThat(r.name("", null)).isEqualTo("/");
    assertThat(rules("trace_normalize_ids", "false").name("/users/123", null)).isEqualTo("/users/123");
  }

  @Test
  void aPathWithoutIdsIsReturnedAsIsWithoutCopying() {
    String path = "/hello/world";
    assertThat(rules().name(path, null)).isSameAs(path);
  }

  @Test
  void configuredTemplatesMatchBySegment() {
    HttpRules r = rules("trace_normalize_urls", "/shop/{shop}/items/{item},/files/**");
    assertThat(r.name("/shop/acme/items/42", null)).isEqualTo("/shop/{shop}/items/{item}");
    assertThat(r.name("/shop/acme/items", null)).isEqualTo("/shop/acme/items");
    assertThat(r.name("/files/a/b/c.txt", null)).isEqualTo("/files/**");
  }

  @Test
  void ignoreRules() {
    HttpRules r = rules("trace_ignore_url_prefixes", "/health,/internal/",
        "trace_ignore_urls", "/ping,/api/*/status");
    assertThat(r.ignored("/health")).isTrue();
    assertThat(r.ignored("/healthz")).isTrue();
    assertThat(r.ignored("/internal/metrics")).isTrue();
    assertThat(r.ignored("/ping")).isTrue();
    assertThat(r.ignored("/ping2")).isFalse();
    assertThat(r.ignored("/api/v1/status")).isTrue();
    assertThat(r.ignored("/api/v1/other")).isFalse();
    assertThat(r.ignored("/static/app.JS")).isTrue();
    assertThat(r.ignored("/img/logo.png")).isTrue();
    assertThat(r.ignored("/a.b/c")).isFalse();
    assertThat(r.ignored("/users/1")).isFalse();
    assertThat(rules("trace_ignore_extensions", "").ignored("/x.js")).isFalse();
  }

  @Test
  void clientIpComesFromTheFirstForwardedHopOrTheSocket() {
    HttpRules r = rules();
    assertThat(r.clientIp("203.0.113.7, 10.0.0.1, 10.0.0.2", "127.0.0.1")).isEqualTo("203.0.113.7");
    assertThat(r.clientIp(" 2001:db8::1 ,10.0.0.1", "127.0.0.1")).isEqualTo("2001:db8::1");
    assertThat(r.clientIp("unknown", "127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(r.clientIp("<script>", "127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(r.clientIp("", "127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(r.clientIp(null, "10.1.1.1")).isEqualTo("10.1.1.1");
    assertThat(r.clientIp("1".repeat(100), "10.1.1.1")).isEqualTo("10.1.1.1");
  }

  static final class MapView implements HttpRequestView<Map<String, String>> {
    @Override public String method(Map<String, String> r) {
      return "GET";
    }

    @Override public String path(Map<String, String> r) {
      return "/";
    }

    @Override public String query(Map<String, String> r) {
      return null;
    }

    @Override public String host(Map<String, String> r) {
      return "h";
    }

    @Override public String header(Map<String, String> r, String name) {
      for (Map.Entry<String, String> e : r.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    @Override public String remoteAddr(Map<String, String> r) {
      return "127.0.0.1";
    }

    @Override public void forEachHeader(Map<String, String> r, BiConsumer<String, String> c) {
      r.forEach(c);
    }
  }

  @Test
  void namedHeadersAreCapturedSortedAndLowerCase() {
    Map<String, String> req = Map.of("X-B", "2", "X-A", "1", "Authorization", "Bearer s3cret", "Other", "o");
    String captured = rules("trace_http_headers", "x-b,X-A,authorization").captureHeaders(new MapView(), req);
    assertThat(captured).isEqualTo("authorization=Bearer s3cret\nx-a=1\nx-b=2\n");
  }

  @Test
  void wildcardCaptureRedactsSensitiveHeadersUnlessNamed() {
    Map<String, String> req = new LinkedHashMap<>();
    req.put("Authorization", "Bearer s3cret");
    req.put("Cookie", "sid=1");
    req.put("X-Trace", "t");
    String captured = rules("trace_http_headers", "*").captureHeaders(new MapView(), req);
    assertThat(captured).isEqualTo("authorization=[redacted]\ncookie=[redacted]\nx-trace=t\n");
    assertThat(captured).doesNotContain("s3cret");
    String named = rules("trace_http_headers", "*,cookie").captureHeaders(new MapView(), req);
    assertThat(named).contains("cookie=sid=1").contains("authorization=[redacted]");
  }

  /** trace_http_headers=* with the default redact list still hides whatever is named like a credential. */
  @Test
  void wildcardCaptureRedactsEveryHeaderNamedLikeACredentialWhateverTheRedactList() {
    Map<String, String> req = new LinkedHashMap<>();
    req.put("X-Api-Key", "k-1");
    req.put("X-Auth-Token", "t-2");
    req.put("Proxy-Authorization", "Basic p-3");
    req.put("Set-Cookie", "c-4");
    req.put("X-Client-Secret", "s-5");
    req.put("X-Db-Password", "p-6");
    req.put("X-Credentials", "c-7");
    req.put("Accept", "text/html");
    req.put("X-Request-Id", "r-1");
    req.put("Referer", "https://shop.example/cart?session=abc&token=t-8");
    for (String redactList : new String[] {null, "", "x-other"}) {
      HttpRules rules = redactList == null ? rules("trace_http_headers", "*")
          : rules("trace_http_headers", "*", "trace_http_header_redact", redactList);
      String captured = rules.captureHeaders(new MapView(), req);
      assertThat(captured).as("trace_http_header_redact=%s", redactList)
          .contains("x-api-key=[redacted]\n", "x-auth-token=[redacted]\n", "proxy-authorization=[redacted]\n",
              "set-cookie=[redacted]\n", "x-client-secret=[redacted]\n", "x-db-password=[redacted]\n",
              "x-credentials=[redacted]\n", "accept=text/html\n", "x-request-id=r-1\n",
              "referer=https://shop.example/cart\n")
          .doesNotContain("k-1", "t-2", "p-3", "c-4", "s-5", "p-6", "c-7", "t-8", "abc");
    }
    String named = rules("trace_http_headers", "*,x-api-key").captureHeaders(new MapView(), req);
    assertThat(named).contains("x-api-key=k-1\n").contains("x-auth-token=[redacted]\n");
  }

  @Test
  void theRedactListTakesNamesAndGlobs() {
    HttpRules rules = rules("trace_http_headers", "*", "trace_http_header_redact", "x-tenant,x-internal-*,*-sig,*sess*");
    assertThat(rules.redacts("x-tenant")).isTrue();
    assertThat(rules.redacts("x-internal-route")).isTrue();
    assertThat(rules.redacts("x-body-sig")).isTrue();
    assertThat(rules.redacts("x-session-id")).isTrue();
    assertThat(rules.redacts("x-tenants")).isFalse();
    assertThat(rules.redacts("x-sig-body")).isFalse();
    assertThat(rules.redacts("accept")).isFalse();
    assertThat(rules.redacts("authorization")).as("named like a credential").isTrue();
  }

  @Test
  void noCaptureByDefault() {
    assertThat(rules().capturesHeaders()).isFalse();
  }
}
