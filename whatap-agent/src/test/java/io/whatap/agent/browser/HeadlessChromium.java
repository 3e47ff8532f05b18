package io.whatap.agent.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket from java.net.http):
 * navigate, evaluate JavaScript, dispatch real mouse input, take screenshots. Started with a fresh
 * profile and every background network feature off; it only ever loads what the test points it at.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final List<String> BINARIES = List.of("chromium", "chromium-browser", "google-chrome");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The browser binary on the PATH, or null. */
  public static Path find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : BINARIES) {
        Path p = Path.of(dir, name);
        if (!dir.isEmpty() && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  public static HeadlessChromium start(Path binary, int width, int height) throws Exception {
    Path profile = Files.createTempDirectory("whatap-chromium-");
    Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
        "--window-size=" + width + "," + height, "about:blank")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String browserWs = devToolsUrl(p);
      int port = URI.create(browserWs).getPort();
      HttpClient http = HttpClient.newHttpClient();
      String pageWs = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (pageWs == null && System.nanoTime() < deadline) {
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        for (Object o : new JsonArray(list)) {
          JsonObject t = (JsonObject) o;
          if ("page".equals(t.getString("type"))) {
            pageWs = t.getString("webSocketDebuggerUrl");
          }
        }
        if (pageWs == null) {
          LockSupport.parkNanos(50_000_000L); // poll interval, bounded by the deadline
        }
      }
      if (pageWs == null) {
        throw new IOException("Chromium opened no page target");
      }
      HeadlessChromium[] self = new HeadlessChromium[1];
      WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            self[0].dispatch(new JsonObject(text.toString()));
            text.setLength(0);
          }
          webSocket.request(1);
          return null;
        }
      }).get(20, TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(p, profile, ws);
      return self[0];
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** Chromium prints "DevTools listening on ws://..." on stderr once it listens. */
  private static String devToolsUrl(Process p) throws Exception {
    CompletableFuture<String> url = new CompletableFuture<>();
    List<String> lines = new ArrayList<>();
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          int at = line.indexOf("ws://");
          if (line.startsWith("DevTools listening on") && at >= 0) {
            url.complete(line.substring(at).trim());
          } else if (lines.size() < 50) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        // the process ended: reported below
      }
      url.completeExceptionally(new IOException("Chromium exited without a DevTools address: " + lines));
    }, "chromium-stderr");
    t.setDaemon(true);
    t.start();
    return url.get(30, TimeUnit.SECONDS);
  }

  private void dispatch(JsonObject message) {
    Integer id = message.getInteger("id");
    if (id != null) {
      CompletableFuture<JsonObject> f = calls.remove(id);
      if (f != null) {
        f.complete(message);
      }
    }
  }

  public JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    calls.put(id, f);
    socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
        .get(10, TimeUnit.SECONDS);
    JsonObject answer = f.get(30, TimeUnit.SECONDS);
    if (answer.containsKey("error")) {
      throw new IllegalStateException(method + " failed: " + answer.getJsonObject("error").encode());
    }
    return answer.getJsonObject("result");
  }

  public void navigate(String url) throws Exception {
    call("Page.navigate", new JsonObject().put("url", url));
  }

  /** The value of a JavaScript expression (JSON-serializable), awaiting it if it is a promise. */
  public Object eval(String expression) throws Exception {
    JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression)
        .put("returnByValue", true).put("awaitPromise", true));
    if (r.containsKey("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + r.getJsonObject("exceptionDetails").encode());
    }
    return r.getJsonObject("result").getValue("value");
  }

  /** A real left click (pointer moved there, pressed, released) at page coordinates x, y. */
  public void click(double x, double y) throws Exception {
    mouse("mouseMoved", x, y);
    mouse("mousePressed", x, y);
    mouse("mouseReleased", x, y);
  }

  public void mouse(String type, double x, double y) throws Exception {
    JsonObject p = new JsonObject().put("type", type).put("x", x).put("y", y);
    if (!type.equals("mouseMoved")) {
      p.put("button", "left").put("clickCount", 1);
    }
    call("Input.dispatchMouseEvent", p);
  }

  public void screenshot(Path file) throws Exception {
    JsonObject r = call("Page.captureScreenshot", new JsonObject().put("format", "png"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(r.getString("data")));
  }

  @Override
  public void close() {
    socket.abort();
    // Chromium's helper processes (network service, renderers) outlive the browser process for a
    // moment and keep writing into the profile: stop and wait for them too
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      for (ProcessHandle h : helpers) {
        h.destroy();
        h.onExit().get(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // a helper that does not end leaves files behind in the temporary profile: harmless
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary profile left behind is harmless (a file can vanish while it is walked)
    }
  }
}
