package io.whatap.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard as one HTML document: index.html with its stylesheet and scripts inlined at start.
 * One document means one request, so a token given as {@code ?token=} on the page's URL protects the
 * page as well as the API calls the page makes (which add it themselves); there is no unprotected
 * asset and no CDN.
 */
final class DashboardPage {
  private static final String BASE = "/io/whatap/agent/web/";
  private static final String[] INLINED = {"style.css", "charts.js", "app.js"};

  private DashboardPage() {
  }

  static String load() {
    String html = resource("index.html");
    for (String name : INLINED) {
      String marker = "/*{{" + name + "}}*/";
      if (!html.contains(marker)) {
        throw new IllegalStateException("index.html lacks the marker " + marker);
      }
      html = html.replace(marker, resource(name));
    }
    return html;
  }

  private static String resource(String name) {
    try (InputStream in = DashboardPage.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("missing dashboard resource " + BASE + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
