package io.whatap.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The whatap.conf we ship parses cleanly, with every option uncommented too. */
class ShippedConfTest {
  static final Pattern OPTION = Pattern.compile("^#?([a-z][a-z0-9_.]*)=(.*)$");

  static Path conf(String name) {
    return Path.of("..", "conf").resolve(name).toAbsolutePath().normalize();
  }

  @Test
  void theShippedFilesLoadWithoutProblems() {
    for (String f : List.of("whatap.conf", "batch/whatap.conf")) {
      Path file = conf(f);
      Properties sys = new Properties();
      sys.setProperty("whatap.config", file.toString());
      Config c = new ConfigLoader(file.getParent(), Map.of(), sys).current();
      assertThat(c.problems()).as(f).isEmpty();
      assertThat(c.raw().values()).as(f + ": a '#' after a value would become part of it")
          .noneMatch(v -> v.contains("#"));
    }
  }

  @Test
  void everyDocumentedDefaultIsAValidValue() throws IOException {
    Map<String, String> all = documented();
    assertThat(all).containsKeys("license", "whatap.server.host", "app_name", "app_process_name",
        "net_udp_host", "net_udp_port");
    assertThat(new Config(all).problems()).isEmpty();
  }
  private static Map<String, String> documented() throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    for (String line : Files.readAllLines(conf("whatap.conf"))) {
      Matcher m = OPTION.matcher(line.trim());
      if (m.matches()) {
        all.put(m.group(1), m.group(2).trim());
      }
    }
    return all;
  }

  /** The keys the core reads, from its sources: a new option without a line in whatap.conf fails here. */
  @Test
  void everyOptionTheCoreReadsIsDocumented() throws IOException {
    Pattern read = Pattern.compile("(?:str|bool|integer|intList|bands|choice|list|get)\\(\"([a-z][a-z0-9_.]*)\"");
    Set<String> keys = new TreeSet<>();
    for (String source : List.of("config/Config.java", "runtime/Agent.java")) {
      Matcher m = read.matcher(Files.readString(Path.of("src/main/java/io/whatap").resolve(source)));
      while (m.find()) {
        keys.add(m.group(1));
      }
    }
    assertThat(keys).hasSizeGreaterThan(40);
    assertThat(documented().keySet()).containsAll(keys);
  }

  /** What whatap.conf says a default is, is what the code uses when the key is absent. */
  @Test
  void theDocumentedDefaultsAreTheCodesDefaults() throws Exception {
    Config documented = new Config(documented());
    Config defaults = Config.defaults();
    for (Field f : Config.class.getFields()) {
      if (Modifier.isFinal(f.getModifiers()) && !Modifier.isStatic(f.getModifiers())) {
        assertThat(f.get(documented)).as(f.getName()).isEqualTo(f.get(defaults));
      }
    }
  }
}
