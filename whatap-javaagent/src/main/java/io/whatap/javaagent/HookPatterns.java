package io.whatap.javaagent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code hook_method_patterns}: a list of {@code fully.qualified.Class.method} (one method) and
 * {@code fully.qualified.Class.*} (every method the class declares), parsed once at start.
 */
final class HookPatterns {
  private static final String ALL = "*";

  private final Map<String, Set<String>> methodsByClass;
  private final List<String> rejected;

  private HookPatterns(Map<String, Set<String>> methodsByClass, List<String> rejected) {
    this.methodsByClass = methodsByClass;
    this.rejected = rejected;
  }

  static HookPatterns parse(List<String> patterns) {
    Map<String, Set<String>> byClass = new HashMap<>();
    List<String> rejected = new ArrayList<>();
    for (String raw : patterns) {
      String p = raw.trim();
      int dot = p.lastIndexOf('.');
      if (dot <= 0 || dot == p.length() - 1 || p.indexOf(' ') >= 0 || p.substring(0, dot).contains("*")) {
        rejected.add(raw);
        continue;
      }
      byClass.computeIfAbsent(p.substring(0, dot), k -> new HashSet<>()).add(p.substring(dot + 1));
    }
    return new HookPatterns(byClass, Collections.unmodifiableList(rejected));
  }

  /** The classes named by the patterns. */
  Set<String> classes() {
    return Collections.unmodifiableSet(methodsByClass.keySet());
  }

  boolean matches(String className, String methodName) {
    Set<String> methods = methodsByClass.get(className);
    return methods != null && (methods.contains(ALL) || methods.contains(methodName));
  }

  /** Patterns that are not {@code Class.method} or {@code Class.*}. */
  List<String> rejected() {
    return rejected;
  }
}
