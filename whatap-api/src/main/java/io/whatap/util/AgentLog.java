package io.whatap.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's own log: a file under {@code $WHATAP_HOME/logs/}, never the application's
 * stdout or stderr. Failures that can repeat per request go through {@link #warnOnce}: the
 * first is a WARNING, the rest are FINE lines with a running count, so a broken receiver or
 * a malformed header stream cannot flood the disk. A caller only formats its line and hands it
 * to a bounded queue; the daemon thread {@code whatap-log} does the file I/O, so a warning raised
 * on a request thread never waits for the disk (a full queue drops lines and says how many).
 * {@link #stop} ends that thread and closes the file when the agent stops (a web application
 * undeployed); a line logged after that is written by its caller, and the next
 * {@link #configure} (an agent starting again) brings the thread back.
 */
public final class AgentLog implements System.Logger {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final long MAX_BYTES = 10L * 1024 * 1024;
  private static final AgentLog INSTANCE = new AgentLog();
  /**
   * Lines kept while the log has no directory yet (the first configuration is read before it has
   * one). They wait in the queue, with no writer thread: reading a configuration without starting an
   * agent (a servlet container initializer deciding whether to register the filter) starts no thread.
   */
  static final int EARLY_LINES = 200;

  private final ConcurrentHashMap<String, AtomicLong> onceKeys = new ConcurrentHashMap<>();
  private final AtomicLong errors = new AtomicLong();
  private volatile Path file;
  private volatile Level threshold = Level.INFO;
  private OutputStream out;
  private long fileBytes;
  /** Lines dropped before the log had a directory (more than {@link #EARLY_LINES}). */
  private final AtomicLong earlyDropped = new AtomicLong();
  private final BoundedQueue<String> pending = new BoundedQueue<>(1024);
  private final AtomicLong pendingDropped = new AtomicLong();
  private volatile Thread writer;
  /** Set by {@link #stop}: the writer ends, later lines are written by their callers until {@link #configure}. */
  private volatile boolean stopped;
  private volatile boolean writerIdle = true;
  private final AtomicLong enqueued = new AtomicLong();
  private volatile long written;

  private final Path tempDir;

  AgentLog() {
    this(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** A log whose last resort is {@code tempDir} rather than the system temp dir (tests). */
  AgentLog(Path tempDir) {
    this.tempDir = tempDir;
  }

  public static AgentLog get() {
    return INSTANCE;
  }

  /** Points the log at {@code dir}, or at the system temp dir when no log file can be opened there. */
  public void configure(Path dir, Level level) {
    configure(dir, null, level);
  }

  /**
   * Points the log at the first of {@code dir}, {@code fallback} and the system temp dir where the
   * log file can be opened for appending (a directory that is a file, lies under a file or is not
   * writable is passed over); when that is not {@code dir}, the log says, once, why. Never the
   * application's stdout or stderr. Called when the configuration is (re)loaded, so a directory
   * that becomes usable is taken again at the next change.
   */
  public synchronized void configure(Path dir, Path fallback, Level level) {
    stopped = false;
    threshold = level;
    StringBuilder refused = null;
    Path chosen = null;
    Path tried = null;
    for (Path candidate : new Path[] {dir, fallback, tempDir}) {
      if (candidate == null || candidate.equals(tried)) {
        continue;
      }
      tried = candidate;
      Path next = candidate.resolve("whatap-agent.log");
      String why = next.equals(file) && out != null ? null : open(next);
      if (why == null) {
        chosen = candidate;
        break;
      }
      refused = refused == null ? new StringBuilder() : refused.append("; ");
      refused.append(candidate).append(" (").append(why).append(')');
    }
    if (chosen == null) {
      // nowhere to write: keep the first choice for the writer to retry; lines meanwhile are lost
      closeQuietly();
      file = dir.resolve("whatap-agent.log");
    }
    long dropped = earlyDropped.getAndSet(0);
    if (dropped > 0) {
      enqueue(TIME.format(Instant.now()) + " WARNING [" + Thread.currentThread().getName() + "] " + dropped
          + " earlier log lines were dropped (more than " + EARLY_LINES + " before the log had a directory)\n");
    }
    if (!pending.isEmpty() && writer == null) {
      LockSupport.unpark(startWriter()); // the lines logged before there was a file
    }
    if (refused != null) {
      warnOnce("log-dir:" + refused + "->" + chosen, "the agent log cannot be written to " + refused
          + (chosen == null ? "; nothing can be logged" : "; logging to " + chosen + " instead"), null);
    }
  }

  /** Opens {@code f} for appending and makes it the log's file; why not, or null. */
  private String open(Path f) {
    OutputStream opened;
    long size;
    try {
      Files.createDirectories(f.getParent());
      opened = Files.newOutputStream(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      size = Files.size(f);
    } catch (FileAlreadyExistsException e) {
      return e.getFile() + " is a file, not a directory";
    } catch (AccessDeniedException e) {
      return "permission denied on " + e.getFile();
    } catch (FileSystemException e) {
      return (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()) + ": " + e.getFile();
    } catch (IOException | RuntimeException e) {
      return e.toString();
    }
    closeQuietly();
    out = opened;
    fileBytes = size;
    file = f;
    return null;
  }

  public Path file() {
    return file;
  }

  /** Errors the agent caught inside itself since start (exported as a counter). */
  public long errorCount() {
    return errors.get();
  }

  /** Counts an internal error and logs it: WARNING the first time per key, FINE after that. */
  public void warnOnce(String key, String message, Throwable t) {
    errors.incrementAndGet();
    logOnce(key, message, t);
  }

  /**
   * Logs as {@link #warnOnce} does without counting an internal error: for input the agent rejects
   * (a malformed header), which its own meter ({@code agent_malformed_input}) already counts.
   */
  public void logOnce(String key, String message, Throwable t) {
    AtomicLong n = onceKeys.get(key);
    if (n == null) {
      if (onceKeys.size() > 10_000) {
        onceKeys.clear(); // bounded: a flood of distinct keys must not grow the map forever
      }
      n = onceKeys.computeIfAbsent(key, k -> new AtomicLong());
    }
    long count = n.incrementAndGet();
    if (count == 1) {
      log(Level.WARNING, message + " (further occurrences are logged at FINE)", t);
    } else if (isLoggable(Level.DEBUG)) {
      log(Level.DEBUG, message + " (occurrence " + count + ")", t);
    }
  }

  /** How many times {@link #warnOnce} or {@link #logOnce} saw {@code key}. */
  public long occurrences(String key) {
    AtomicLong n = onceKeys.get(key);
    return n == null ? 0 : n.get();
  }

  @Override
  public String getName() {
    return "whatap";
  }

  @Override
  public boolean isLoggable(Level level) {
    return level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    if (!isLoggable(level)) {
      return;
    }
    StringBuilder line = new StringBuilder(128);
    line.append(TIME.format(Instant.now())).append(' ').append(level.getName()).append(' ')
        .append('[').append(Thread.currentThread().getName()).append("] ").append(msg).append('\n');
    if (thrown != null) {
      appendThrowable(line, thrown, 30);
    }
    enqueue(line.toString());
  }

  private void enqueue(String line) {
    if (file == null && writer == null) {
      // no directory yet: keep the line for the file to come, bounded, without starting a thread
      if (pending.size() >= EARLY_LINES || !pending.offer(line)) {
        earlyDropped.incrementAndGet();
      } else {
        enqueued.incrementAndGet();
      }
      return;
    }
    if (!pending.offer(line)) {
      pendingDropped.incrementAndGet();
      return;
    }
    enqueued.incrementAndGet();
    Thread w = writer;
    if (w == null) {
      if (stopped) {
        drainHere(); // after stop: rare lines (a late warning), written without a thread to leave behind
        return;
      }
      w = startWriter();
    }
    if (writerIdle) {
      LockSupport.unpark(w);
    }
  }

  private synchronized Thread startWriter() {
    if (writer == null && !stopped) {
      Thread t = new Thread(this::drain, "whatap-log");
      t.setDaemon(true);
      writer = t;
      t.start();
    }
    return writer;
  }

  /** Writes what is pending on the calling thread and closes the file again (the log is stopped). */
  private synchronized void drainHere() {
    String line;
    while ((line = pending.poll()) != null) {
      write(line);
      written++;
    }
    closeQuietly();
  }

  /**
   * Writes what is pending (at most {@code timeoutMs}), ends the {@code whatap-log} thread, waits
   * for it and closes the file: the agent stopped and must leave no thread or open file behind.
   */
  public void stop(long timeoutMs) {
    flush(timeoutMs);
    Thread w;
    synchronized (this) {
      stopped = true;
      w = writer;
      writer = null;
    }
    if (w != null) {
      LockSupport.unpark(w);
      try {
        w.join(timeoutMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    drainHere();
  }

  private void drain() {
    Thread self = Thread.currentThread();
    while (writer == self) {
      String line = pending.poll();
      if (line != null) {
        writerIdle = false;
        write(line);
        written++; // this thread, or a caller under the lock once the log is stopped
        continue;
      }
      long lost = pendingDropped.getAndSet(0);
      if (lost > 0) {
        write(TIME.format(Instant.now()) + " WARNING [whatap-log] " + lost
            + " log lines were dropped: they came faster than the disk took them\n");
      }
      writerIdle = true;
      if (pending.isEmpty() && writer == self) {
        LockSupport.parkNanos(1_000_000_000L);
      }
    }
  }

  /** Waits (at most {@code timeoutMs}) until every line logged so far is in the file. */
  public void flush(long timeoutMs) {
    long target = enqueued.get();
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (written < target && System.nanoTime() < deadline) {
      Thread w = writer;
      if (w == null) {
        return; // no directory yet, or stopped: nothing is on its way to a file
      }
      LockSupport.unpark(w);
      LockSupport.parkNanos(1_000_000L);
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (!isLoggable(level)) {
      return;
    }
    log(level, bundle, params == null || params.length == 0
        ? format : java.text.MessageFormat.format(format, params), (Throwable) null);
  }

  public void info(String msg) {
    log(Level.INFO, msg);
  }

  static void appendThrowable(StringBuilder sb, Throwable t, int depth) {
    sb.append('\t').append(t).append('\n');
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < st.length && i < depth; i++) {
      sb.append("\t\tat ").append(st[i]).append('\n');
    }
    if (t.getCause() != null && t.getCause() != t) {
      sb.append("\tcaused by:\n");
      appendThrowable(sb, t.getCause(), depth / 2);
    }
  }

  private synchronized void write(String s) {
    Path f = file;
    if (f == null) {
      return; // unreachable: lines wait in the queue until there is a file (never the application's stderr)
    }
    try {
      if (out == null) {
        Files.createDirectories(f.getParent());
        out = Files.newOutputStream(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        fileBytes = Files.size(f);
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write(b);
      out.flush();
      fileBytes += b.length;
      if (fileBytes > MAX_BYTES) {
        closeQuietly();
        Files.move(f, f.resolveSibling(f.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(); // the log itself failing must not affect the application
    }
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // nothing left to tell anyone
      }
      out = null;
    }
  }
}
