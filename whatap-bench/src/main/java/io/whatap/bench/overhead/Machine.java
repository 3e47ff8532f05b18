package io.whatap.bench.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line saying what the figures were measured on. */
public final class Machine {
  private Machine() { }

  public static String describe() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException ignored) {
      // not Linux: keep "unknown CPU"
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), JDK " + System.getProperty("java.vm.name")
        + " " + System.getProperty("java.runtime.version");
  }
}
