package io.whatap.jdkhttp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * The application's request as sent by a traced call: every property read from it, the headers
 * its own plus the multi-transaction ones. Cheaper than {@code HttpRequest.newBuilder(request,
 * filter)...build()} (about 1.4 KB per call: a header map copied twice, the URI checked again, the
 * builder): the client copies a request's headers into its own map whatever the request class, so
 * this one hands them over once, through a map that only knows {@code forEach} (all
 * {@code HttpHeaders.of} reads), without building one of its own.
 */
final class HeaderedRequest extends HttpRequest {
  private static final BiPredicate<String, String> ALL_HEADERS = (name, value) -> true;
  /** Propagation writes four headers; more are kept too, the arrays grow. */
  private static final int EXPECTED = 4;

  private final HttpRequest request;
  private String[] names = new String[EXPECTED];
  private String[] values = new String[EXPECTED];
  private int count;
  private HttpHeaders headers;

  HeaderedRequest(HttpRequest request) {
    this.request = request;
  }

  /** Adds (or replaces, whatever the case of the name) one header; before {@link #headers()} is first read. */
  void setHeader(String name, String value) {
    for (int i = 0; i < count; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        values[i] = value;
        return;
      }
    }
    if (count == names.length) {
      names = Arrays.copyOf(names, count * 2);
      values = Arrays.copyOf(values, count * 2);
    }
    names[count] = name;
    values[count] = value;
    count++;
  }

  int added() {
    return count;
  }

  @Override
  public HttpHeaders headers() {
    HttpHeaders h = headers;
    if (h == null) {
      h = HttpHeaders.of(new Merged(), ALL_HEADERS);
      headers = h;
    }
    return h;
  }

  private boolean isAdded(String name) {
    for (int i = 0; i < count; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return request.bodyPublisher();
  }

  @Override
  public String method() {
    return request.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return request.timeout();
  }

  @Override
  public boolean expectContinue() {
    return request.expectContinue();
  }

  @Override
  public URI uri() {
    return request.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return request.version();
  }

  /**
   * The request's headers (less those this call sets) and the added ones, for {@code HttpHeaders.of},
   * which reads a map through {@code forEach} only; any other read goes through {@link #entrySet}.
   */
  private final class Merged extends AbstractMap<String, List<String>> {
    @Override
    public void forEach(BiConsumer<? super String, ? super List<String>> action) {
      request.headers().map().forEach((name, list) -> {
        if (!isAdded(name)) {
          action.accept(name, list);
        }
      });
      for (int i = 0; i < count; i++) {
        action.accept(names[i], List.of(values[i]));
      }
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
      Map<String, List<String>> all = new LinkedHashMap<>();
      forEach(all::put);
      return all.entrySet();
    }
  }
}
