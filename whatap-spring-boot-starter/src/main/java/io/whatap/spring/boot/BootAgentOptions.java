package io.whatap.spring.boot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The {@code whatap.*} keys of the Spring environment (application.properties, application.yml,
 * profiles, command-line arguments, test properties...) as whatap.conf options:
 * {@code whatap.app_name} is {@code app_name}, {@code whatap.server.host} stays itself (a
 * whatap.conf key of its own), {@code whatap.app-name} is {@code app_name} too, and a YAML list
 * ({@code whatap.x[0]}, {@code whatap.x[1]}) is the comma-separated value whatap.conf expects.
 *
 * <p>Spring's system-properties and environment-variable sources are skipped: the agent reads
 * {@code -Dwhatap.*} and {@code WHATAP_*} itself, above these options. Not handed over:
 * {@code whatap.enabled} (the starter's switch), {@code whatap.home} and {@code whatap.config}
 * (where whatap.conf is, decided when the agent starts, before any Spring property exists).
 */
final class BootAgentOptions {
  static final String PREFIX = "whatap.";
  /** Keys the starter reads itself or that only the JVM's start can set. */
  static final List<String> NOT_HANDED_OVER = List.of("enabled", "home", "config");

  private BootAgentOptions() { }

  /** The options, sorted by key; an option set in several sources takes the highest-precedence source's value. */
  static Map<String, String> from(ConfigurableEnvironment environment) {
    Map<String, PropertySource<?>> owner = new LinkedHashMap<>();
    Map<String, TreeMap<Integer, String>> values = new TreeMap<>();
    for (PropertySource<?> source : environment.getPropertySources()) { // highest precedence first
      if (!(source instanceof EnumerablePropertySource) || agentReadsItself(source)) {
        continue;
      }
      for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
        if (!name.startsWith(PREFIX)) {
          continue;
        }
        int bracket = name.indexOf('[');
        String key = agentKey(bracket < 0 ? name : name.substring(0, bracket));
        int index = bracket < 0 ? -1 : listIndex(name, bracket);
        if (key == null || (bracket >= 0 && index < 0)) {
          continue;
        }
        // a higher-precedence source that sets a key replaces the whole value, lists included
        PropertySource<?> first = owner.putIfAbsent(key, source);
        if (first != null && first != source) {
          continue;
        }
        Object raw = source.getProperty(name);
        String value = raw == null ? "" : environment.resolvePlaceholders(String.valueOf(raw));
        values.computeIfAbsent(key, k -> new TreeMap<>()).put(index, value);
      }
    }
    Map<String, String> options = new TreeMap<>();
    for (Map.Entry<String, TreeMap<Integer, String>> e : values.entrySet()) {
      options.put(e.getKey(), String.join(",", e.getValue().values()));
    }
    return options;
  }

  private static boolean agentReadsItself(PropertySource<?> source) {
    String name = source.getName();
    return StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(name)
        || StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(name);
  }

  /** The whatap.conf key of a Spring property name, or null when the starter keeps it. */
  static String agentKey(String name) {
    if (name.equals("whatap.server.host")) {
      return name;
    }
    String key = name.substring(PREFIX.length()).replace('-', '_');
    return key.isEmpty() || NOT_HANDED_OVER.contains(key) ? null : key;
  }

  /** {@code 2} for {@code whatap.x[2]}; -1 for anything else ({@code whatap.x[a]}, {@code whatap.x[0].y}). */
  private static int listIndex(String name, int bracket) {
    int close = name.indexOf(']', bracket);
    if (close != name.length() - 1 || close == bracket + 1) {
      return -1;
    }
    try {
      return Integer.parseInt(name.substring(bracket + 1, close));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
