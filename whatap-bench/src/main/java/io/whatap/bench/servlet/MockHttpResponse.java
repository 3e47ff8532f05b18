package io.whatap.bench.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * An in-memory response that discards its body: status, a small header table and a commit
 * flag, reused across requests ({@link #recycle()}), as containers recycle theirs.
 */
public final class MockHttpResponse implements HttpServletResponse {
  private static final int MAX_HEADERS = 16;

  private final String[] headerNames = new String[MAX_HEADERS];
  private final String[] headerValues = new String[MAX_HEADERS];
  private int headers;
  private int status = 200;
  private String contentType;
  private boolean committed;
  private long bytes;
  private final ServletOutputStream out = new ServletOutputStream() {
    @Override
    public void write(int b) {
      committed = true;
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      committed = true;
      bytes += len;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("blocking only");
    }
  };
  private final PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));

  /** Makes the response new again for the next request. */
  public void recycle() {
    for (int i = 0; i < headers; i++) {
      headerNames[i] = null;
      headerValues[i] = null;
    }
    headers = 0;
    status = 200;
    contentType = null;
    committed = false;
  }

  /** Body bytes written so far (all requests). */
  public long bytes() {
    return bytes;
  }

  @Override
  public void setStatus(int sc) {
    if (!committed) {
      status = sc;
    }
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void sendError(int sc) {
    sendError(sc, null);
  }

  @Override
  public void sendError(int sc, String msg) {
    status = sc;
    committed = true;
  }

  @Override
  public boolean isCommitted() {
    return committed;
  }

  @Override
  public void setContentType(String type) {
    contentType = type;
  }

  @Override
  public String getContentType() {
    return contentType;
  }

  @Override
  public String getCharacterEncoding() {
    return "UTF-8";
  }

  @Override
  public void setCharacterEncoding(String charset) { }

  @Override
  public void setContentLength(int len) {
    setIntHeader("Content-Length", len);
  }

  @Override
  public void setContentLengthLong(long len) {
    setHeader("Content-Length", Long.toString(len));
  }

  @Override
  public ServletOutputStream getOutputStream() {
    return out;
  }

  @Override
  public PrintWriter getWriter() {
    return writer;
  }

  @Override
  public int getBufferSize() {
    return 8192;
  }

  @Override
  public void flushBuffer() {
    committed = true;
  }

  @Override
  public void resetBuffer() { }

  @Override
  public void reset() {
    recycle();
  }

  @Override
  public Locale getLocale() {
    return Locale.US;
  }

  @Override
  public boolean containsHeader(String name) {
    return getHeader(name) != null;
  }

  @Override
  public String getHeader(String name) {
    for (int i = 0; i < headers; i++) {
      if (headerNames[i].equalsIgnoreCase(name)) {
        return headerValues[i];
      }
    }
    return null;
  }

  @Override
  public Collection<String> getHeaders(String name) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < headers; i++) {
      if (headerNames[i].equalsIgnoreCase(name)) {
        values.add(headerValues[i]);
      }
    }
    return values;
  }

  @Override
  public Collection<String> getHeaderNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < headers; i++) {
      names.add(headerNames[i]);
    }
    return names;
  }

  @Override
  public void setHeader(String name, String value) {
    for (int i = 0; i < headers; i++) {
      if (headerNames[i].equalsIgnoreCase(name)) {
        headerValues[i] = value;
        return;
      }
    }
    addHeader(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    if (headers == MAX_HEADERS) {
      throw new IllegalStateException("more than " + MAX_HEADERS + " headers");
    }
    headerNames[headers] = name;
    headerValues[headers++] = value;
  }

  @Override
  public void setIntHeader(String name, int value) {
    setHeader(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    addHeader(name, Integer.toString(value));
  }

  static UnsupportedOperationException unsupported(String method) {
    return new UnsupportedOperationException("MockHttpResponse." + method + " is not used by the benchmarked filters");
  }

  @Override
  public void setBufferSize(int a0) {
    throw unsupported("setBufferSize");
  }

  @Override
  public void setLocale(Locale a0) {
    throw unsupported("setLocale");
  }

  @Override
  public void addCookie(Cookie a0) {
    throw unsupported("addCookie");
  }

  @Override
  public String encodeURL(String a0) {
    throw unsupported("encodeURL");
  }

  @Override
  public String encodeRedirectURL(String a0) {
    throw unsupported("encodeRedirectURL");
  }

  @Override
  public void sendRedirect(String a0) {
    throw unsupported("sendRedirect");
  }

  @Override
  public void setDateHeader(String a0, long a1) {
    throw unsupported("setDateHeader");
  }

  @Override
  public void addDateHeader(String a0, long a1) {
    throw unsupported("addDateHeader");
  }
}
