package io.whatap.runtime;

import io.whatap.wire.ElapsedBuckets;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.StatsRowPack;
import io.whatap.wire.WireWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.function.IntConsumer;

/**
 * Stats mode's per-interval aggregates of the transactions that do not leave in full, owned by the
 * sender thread (never touched by a request thread, so it needs no lock and no atomic): per
 * (transaction name, status class) the count,
 * errors, elapsed sum/min/max and histogram over {@link ElapsedBuckets}, CPU and steps; per
 * end-time second the hitmap (count and errors per elapsed bucket); and the per-second count that
 * tells whether the process is quiet. {@link #writeTo} sends the interval as STATS_ROW and
 * STATS_HITMAP frames and starts the next one. Bounded: at most {@code stats_names_max} names (the
 * rest counted under {@link StatsRowPack#OTHER_NAMES}), {@link #HITMAP_SLOTS} seconds of hitmap.
 * The arrays are allocated once per name and slot and reused, so a steady load allocates nothing.
 */
final class StatsAggregator {
  /** Status classes: 0 (no HTTP status, or outside 100–599), then 1xx ... 5xx. */
  static final int STATUS_CLASSES = 6;
  /** Hitmap seconds kept in a ring: room for any counter interval up to two minutes. */
  static final int HITMAP_SLOTS = 128;
  static final int HITMAP_SLOT_MS = 1000;

  /** One (name, status class)'s interval. */
  static final class ClassStats {
    long count;
    long errors;
    long elapsedSum;
    int min = Integer.MAX_VALUE;
    int max;
    long cpuSum;
    long steps;
    final int[] histogram = new int[ElapsedBuckets.COUNT];

    void reset() {
      count = 0;
      errors = 0;
      elapsedSum = 0;
      min = Integer.MAX_VALUE;
      max = 0;
      cpuSum = 0;
      steps = 0;
      Arrays.fill(histogram, 0);
    }
  }

  /** One name's status classes (allocated when first seen) and its samples sent this interval. */
  static final class Row {
    final String name;
    final ClassStats[] classes = new ClassStats[STATUS_CLASSES];
    int samplesSent;
    boolean used;

    Row(String name) {
      this.name = name;
    }

    /** True (and counted) while fewer than {@code max} samples of this name went out this interval. */
    boolean takeSample(int max) {
      if (samplesSent < max) {
        samplesSent++;
        return true;
      }
      return false;
    }
  }

  private final HashMap<String, Row> rows = new HashMap<>();
  private final Row other = new Row(StatsRowPack.OTHER_NAMES);
  private final long[] slotStart = new long[HITMAP_SLOTS];
  private final int[][] hitCounts = new int[HITMAP_SLOTS][];
  private final int[][] hitErrors = new int[HITMAP_SLOTS][];
  private long intervalStart;
  private boolean empty = true;
  private long second = Long.MIN_VALUE;
  private int countThisSecond;
  /** Transactions counted under (other names) because the names cap was reached (total). */
  long namesFolded;
  /** Transactions left out of the hitmap: their second's slot still held an older, unsent second (total). */
  long hitmapDropped;

  StatsAggregator() {
    Arrays.fill(slotStart, -1);
  }

  /**
   * Counts one ended transaction in the second it ended in; returns how many ended in that second
   * so far, this one included (what tells a quiet process).
   */
  int tick(long endMillis) {
    long sec = Math.floorDiv(endMillis, 1000);
    if (sec != second) {
      second = sec;
      countThisSecond = 0;
    }
    return ++countThisSecond;
  }

  /** Adds one ended transaction of {@code row} (from {@link #row}); {@code endMillis} places it in the hitmap. */
  void add(Row row, int status, int elapsedMs, boolean error, long cpuMs, int steps, long endMillis) {
    if (empty) {
      empty = false;
      if (intervalStart == 0) {
        intervalStart = endMillis - elapsedMs;
      }
    }
    row.used = true;
    int cls = status >= 100 && status < 600 ? status / 100 : 0;
    ClassStats s = row.classes[cls];
    if (s == null) {
      s = row.classes[cls] = new ClassStats();
    }
    int bucket = ElapsedBuckets.index(elapsedMs);
    s.count++;
    if (error) {
      s.errors++;
    }
    s.elapsedSum += elapsedMs;
    s.min = Math.min(s.min, elapsedMs);
    s.max = Math.max(s.max, elapsedMs);
    s.cpuSum += cpuMs;
    s.steps += steps;
    s.histogram[bucket]++;
    hit(endMillis, bucket, error);
  }

  /**
   * The row of {@code name}, created when first seen; the shared {@link StatsRowPack#OTHER_NAMES}
   * row once {@code namesMax} names have rows (counted in {@link #namesFolded}).
   */
  Row row(String name, int namesMax) {
    if (name == null) {
      name = "";
    }
    Row row = rows.get(name);
    if (row == null) {
      if (rows.size() >= namesMax) {
        namesFolded++;
        return other;
      }
      row = new Row(name);
      rows.put(name, row);
    }
    return row;
  }

  private void hit(long endMillis, int bucket, boolean error) {
    long start = endMillis - Math.floorMod(endMillis, (long) HITMAP_SLOT_MS);
    int slot = (int) Math.floorMod(start / HITMAP_SLOT_MS, (long) HITMAP_SLOTS);
    if (slotStart[slot] != start) {
      if (slotStart[slot] != -1) {
        hitmapDropped++;
        return;
      }
      slotStart[slot] = start;
      if (hitCounts[slot] == null) {
        hitCounts[slot] = new int[ElapsedBuckets.COUNT];
        hitErrors[slot] = new int[ElapsedBuckets.COUNT];
      }
    }
    hitCounts[slot][bucket]++;
    if (error) {
      hitErrors[slot][bucket]++;
    }
  }

  /** True when nothing was added since the last {@link #writeTo}. */
  boolean isEmpty() {
    return empty;
  }

  /**
   * Writes the interval that ends at {@code endMillis} (one STATS_ROW per name and status class
   * seen, one STATS_HITMAP per second seen; {@code afterFrame} gets each frame's mark) and starts
   * the next one. Names not seen in the interval are forgotten, so the cap holds the live ones.
   */
  void writeTo(WireWriter out, int pid, long endMillis, IntConsumer afterFrame) {
    long start = intervalStart == 0 ? endMillis : intervalStart;
    for (Iterator<Row> it = rows.values().iterator(); it.hasNext(); ) {
      Row row = it.next();
      if (!row.used) {
        it.remove();
        continue;
      }
      writeRow(out, pid, start, endMillis, row, afterFrame);
    }
    if (other.used) {
      writeRow(out, pid, start, endMillis, other, afterFrame);
    }
    for (int slot = 0; slot < HITMAP_SLOTS; slot++) {
      if (slotStart[slot] != -1) {
        int mark = out.size();
        PackEncoder.statsHitmap(out, pid, slotStart[slot], HITMAP_SLOT_MS, hitCounts[slot], hitErrors[slot]);
        afterFrame.accept(mark);
        slotStart[slot] = -1;
        Arrays.fill(hitCounts[slot], 0);
        Arrays.fill(hitErrors[slot], 0);
      }
    }
    intervalStart = endMillis;
    empty = true;
  }

  private static void writeRow(WireWriter out, int pid, long start, long end, Row row, IntConsumer afterFrame) {
    for (int cls = 0; cls < STATUS_CLASSES; cls++) {
      ClassStats s = row.classes[cls];
      if (s != null && s.count > 0) {
        int mark = out.size();
        PackEncoder.statsRow(out, pid, start, end, row.name, cls, s.count, s.errors, s.elapsedSum, s.min, s.max,
            s.cpuSum, s.steps, s.histogram);
        afterFrame.accept(mark);
        s.reset();
      }
    }
    row.used = false;
    row.samplesSent = 0;
  }
}
