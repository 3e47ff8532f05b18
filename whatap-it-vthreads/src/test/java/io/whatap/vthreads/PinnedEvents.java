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
  /** Classes of the agent and its adapters (this module's own test code lives in {@code loadapp}). */
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
   * The recorded events the agent caused, or whose stack JFR cut short. The agent caused a pin
   * when its code is what called into the JDK operation that blocked (the top-most frame that is
   * not the JDK's is {@link #AGENT_PACKAGE}'s), or when an agent frame lower down keeps the
   * thread from unmounting for the code above it: the agent's class initializer, or a reflective
   * call the agent made. An agent frame merely further down the stack (WhatapFilter around the
   * servlet chain, WhatapHandler around the route) does not make a pin in the framework or the
   * application the agent's.
   */
  public static List<RecordedEvent> causedByTheAgent(List<RecordedEvent> events) {
    List<RecordedEvent> out = new ArrayList<>();
    for (RecordedEvent e : events) {
      if (e.getStackTrace() == null || e.getStackTrace().isTruncated() || blamesTheAgent(e.getStackTrace().getFrames())) {
        out.add(e);
      }
    }
    return out;
  }

  /** {@code frames} top first, as JFR gives them. */
  static boolean blamesTheAgent(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (!isJdk(type)) {
        if (type.startsWith(AGENT_PACKAGE)) {
          return true;
        }
        break;
      }
    }
    for (int i = 0; i < frames.size(); i++) {
      RecordedFrame f = frames.get(i);
      if (!f.getMethod().getType().getName().startsWith(AGENT_PACKAGE)) {
        continue;
      }
      if (f.getMethod().getName().equals("<clinit>")) {
        return true;
      }
      if (i > 0 && isReflective(frames.get(i - 1).getMethod().getType().getName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isJdk(String type) {
    return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("com.sun.");
  }

  private static boolean isReflective(String type) {
    return type.equals("java.lang.reflect.Method") || type.equals("java.lang.reflect.Constructor")
        || type.startsWith("jdk.internal.reflect.");
  }

  /** An event's reason and stack, one frame a line, for a message. */
  public static String describe(RecordedEvent e) {
    StringBuilder sb = new StringBuilder();
    for (String field : new String[] {"blockingOperation", "pinnedReason"}) {
      if (e.hasField(field)) {
        sb.append("  ").append(field).append(" = ").append((Object) e.getValue(field)).append('\n');
      }
    }
    if (e.getStackTrace() == null) {
      return sb.append("  (no stack)").toString();
    }
    return sb.append(e.getStackTrace().getFrames().stream().map(PinnedEvents::frame)
        .collect(Collectors.joining("\n  ", "  ", ""))).toString();
  }

  private static String frame(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber();
  }

  @Override
  public void close() {
    recording.close();
  }
}
