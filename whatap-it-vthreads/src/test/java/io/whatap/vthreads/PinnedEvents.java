package io.whatap.vthreads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of {@code jdk.VirtualThreadPinned} with threshold 0 and stack traces: every
 * time a virtual thread blocked while it could not leave its carrier thread. On JDK 24+ a
 * monitor no longer pins (JEP 491); what still does is blocking in a class initializer or under
 * a native frame.
 */
public final class PinnedEvents implements AutoCloseable {
  /** Classes of the agent and its adapters: a pinned stack through any of them is blamed on us. */
  public static final String AGENT_PACKAGE = "io.whatap.";

  private final Recording recording = new Recording();
  private List<RecordedEvent> events;

  private PinnedEvents() {
    recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
    recording.setName("whatap-vthreads-pinned");
  }

  public static PinnedEvents start() {
    PinnedEvents p = new PinnedEvents();
    p.recording.start();
    return p;
  }

  /** Stops recording and reads what was recorded. */
  public List<RecordedEvent> stop() throws IOException {
    recording.stop();
    Path file = Files.createTempFile("vthreads-pinned", ".jfr");
    try {
      recording.dump(file);
      events = RecordingFile.readAllEvents(file);
    } finally {
      Files.deleteIfExists(file);
    }
    return events;
  }

  /**
   * The recorded events with a frame of {@link #AGENT_PACKAGE} in their stack, or whose stack JFR
   * cut short (the frame could be in the part cut off).
   */
  public static List<RecordedEvent> throughTheAgent(List<RecordedEvent> events) {
    List<RecordedEvent> out = new ArrayList<>();
    for (RecordedEvent e : events) {
      if (e.getStackTrace() == null || e.getStackTrace().isTruncated() || e.getStackTrace().getFrames().stream()
          .anyMatch(f -> f.getMethod().getType().getName().startsWith(AGENT_PACKAGE))) {
        out.add(e);
      }
    }
    return out;
  }

  /** An event's stack, one frame a line, for a failure message. */
  public static String describe(RecordedEvent e) {
    if (e.getStackTrace() == null) {
      return "(no stack)";
    }
    return e.getStackTrace().getFrames().stream().map(PinnedEvents::frame).collect(Collectors.joining("\n  ", "  ", ""));
  }

  private static String frame(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber();
  }

  @Override
  public void close() {
    recording.close();
  }
}
