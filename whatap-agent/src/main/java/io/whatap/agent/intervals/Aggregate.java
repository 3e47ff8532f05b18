package io.whatap.agent.intervals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-interval aggregation for one application (or for all): the open interval's statistics in
 * total and per transaction name, the closed intervals' summaries (a bounded history), the
 * per-name statistics of the last few intervals (a bounded window) and totals since start.
 * Names beyond {@code namesMax} per map, or beyond the shared {@link NameBudget} in bytes, are
 * counted under {@link #OTHER_NAMES}, so a flood of distinct (or long) URLs cannot grow it.
 */
public final class Aggregate {
  public static final String OTHER_NAMES = "(other names)";

  private final int namesMax;
  private final int historyMax;
  private final int windowMax;
  private final NameBudget budget;
  private Stats current = new Stats();
  private NameMap currentNames = new NameMap();
  private final ArrayDeque<IntervalSummary> history = new ArrayDeque<>();
  private final ArrayDeque<NameMap> nameWindow = new ArrayDeque<>();
  private final NameMap nameTotals = new NameMap();
  private final Stats total = new Stats();

  /** Per-name statistics and the bytes they took from the budget. */
  private static final class NameMap extends LinkedHashMap<String, Stats> {
    long bytes;
  }

  public Aggregate(int namesMax, int historyMax, int windowMax, NameBudget budget) {
    this.namesMax = namesMax;
    this.historyMax = historyMax;
    this.windowMax = windowMax;
    this.budget = budget;
  }

  /** An aggregate with a budget of its own (tests, tools). */
  public Aggregate(int namesMax, int historyMax, int windowMax) {
    this(namesMax, historyMax, windowMax, new NameBudget(Long.MAX_VALUE / 2));
  }

  public void add(String name, long elapsedMs, boolean error) {
    current.add(elapsedMs, error);
    total.add(elapsedMs, error);
    slot(currentNames, name).add(elapsedMs, error);
    slot(nameTotals, name).add(elapsedMs, error);
  }

  /** Adds statistics a process computed itself (stats mode) for one name: see {@link Stats#addCounted}. */
  public void addCounted(String name, long count, long errors, long sum, long min, long max, int[] histogram) {
    current.addCounted(count, errors, sum, min, max, histogram);
    total.addCounted(count, errors, sum, min, max, histogram);
    slot(currentNames, name).addCounted(count, errors, sum, min, max, histogram);
    slot(nameTotals, name).addCounted(count, errors, sum, min, max, histogram);
  }

  private Stats slot(NameMap names, String name) {
    Stats s = names.get(name);
    if (s == null) {
      long bytes = NameBudget.slotBytes(name);
      if (names.size() >= namesMax || !budget.take(bytes)) {
        budget.namesFolded.increment();
        name = OTHER_NAMES;
        s = names.get(name);
        // the one (other names) slot per map is always allowed: it is what keeps the count right
        bytes = s == null ? NameBudget.slotBytes(name) : 0;
        if (s == null) {
          budget.take(bytes);
        }
      }
      if (s == null) {
        s = new Stats();
        names.put(name, s);
        names.bytes += bytes;
      }
    }
    return s;
  }

  /** Gives back every byte this aggregate took from the budget (its application is forgotten). */
  public void release() {
    long bytes = currentNames.bytes + nameTotals.bytes;
    for (NameMap m : nameWindow) {
      bytes += m.bytes;
    }
    budget.release(bytes);
    currentNames = new NameMap();
    nameWindow.clear();
    nameTotals.clear();
    nameTotals.bytes = 0;
  }

  /** The open interval's statistics (the live object: copy it before the lock is released). */
  public Stats current() {
    return current;
  }

  /** Statistics since start (the live object: copy what is needed before the lock is released). */
  public Stats total() {
    return total;
  }

  /** Closes the open interval into {@code summary} (built by the caller from {@link #current()}). */
  public void close(IntervalSummary summary) {
    history.addLast(summary);
    while (history.size() > historyMax) {
      history.removeFirst();
    }
    nameWindow.addLast(currentNames);
    while (nameWindow.size() > windowMax) {
      budget.release(nameWindow.removeFirst().bytes);
    }
    current = new Stats();
    currentNames = new NameMap();
  }

  /** Summaries of the closed intervals that started at or after {@code since}. */
  public List<IntervalSummary> historySince(long since) {
    List<IntervalSummary> out = new ArrayList<>();
    for (Iterator<IntervalSummary> it = history.descendingIterator(); it.hasNext(); ) {
      IntervalSummary s = it.next();
      if (s.start() < since) {
        break;
      }
      out.add(s);
    }
    Collections.reverse(out);
    return out;
  }

  public IntervalSummary last() {
    return history.peekLast();
  }

  /**
   * Per-name statistics merged over the last {@code intervals} closed intervals plus the open one
   * ({@code intervals <= 0}: since start).
   */
  public Map<String, Stats> names(int intervals) {
    Map<String, Stats> out = new LinkedHashMap<>();
    if (intervals <= 0) {
      for (Map.Entry<String, Stats> e : nameTotals.entrySet()) {
        out.computeIfAbsent(e.getKey(), k -> new Stats()).addAll(e.getValue());
      }
      return out;
    }
    int skip = Math.max(0, nameWindow.size() - intervals);
    for (Map<String, Stats> m : nameWindow) {
      if (skip-- > 0) {
        continue;
      }
      merge(out, m);
    }
    merge(out, currentNames);
    return out;
  }

  /**
   * Per-name statistics since start for export, bounded: copies of the first {@code max} names in
   * the order they were first seen, and everything else (later names, {@link #OTHER_NAMES}, and a
   * name equal to {@code rest}) summed under {@code rest}. The totals are never removed, so the
   * chosen names stay the same for as long as this aggregate lives and every series only grows.
   * {@code rest} is present only when something falls into it.
   */
  public Map<String, Stats> firstNamesSinceStart(int max, String rest) {
    Map<String, Stats> out = new LinkedHashMap<>();
    Stats others = new Stats();
    for (Map.Entry<String, Stats> e : nameTotals.entrySet()) {
      String name = e.getKey();
      if (out.size() < max && !name.equals(OTHER_NAMES) && !name.equals(rest)) {
        Stats copy = new Stats();
        copy.addAll(e.getValue());
        out.put(name, copy);
      } else {
        others.addAll(e.getValue());
      }
    }
    if (others.count > 0) {
      out.put(rest, others);
    }
    return out;
  }

  private static void merge(Map<String, Stats> into, Map<String, Stats> from) {
    for (Map.Entry<String, Stats> e : from.entrySet()) {
      into.computeIfAbsent(e.getKey(), k -> new Stats()).addAll(e.getValue());
    }
  }
}
