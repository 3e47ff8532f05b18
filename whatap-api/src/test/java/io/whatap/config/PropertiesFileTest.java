package io.whatap.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line reader reads what java.util.Properties reads, and keeps the good lines where Properties gives up. */
class PropertiesFileTest {
  @TempDir Path dir;

  @Test
  void theSyntaxOfJavaUtilProperties() {
    String text = "# comment\n! also a comment \\\n"
        + "  indented = value with spaces  \n"
        + "colon:v1\n"
        + "space v2\n"
        + "tab\tv3\n"
        + "both = : v4\n"
        + "continued = one, \\\n    two, \\\r\n\tthree\r\n"
        + "escaped\\ key\\=x = \\t\\u0041\\\\\\z\n"
        + "lone\n"
        + "ends.in.backslash = \\";
    PropertiesFile f = PropertiesFile.parse(text);
    assertThat(f.problems).isEmpty();
    assertThat(f.values).isEqualTo(asMap(javaUtil(text)))
        .containsEntry("continued", "one, two, three")
        .containsEntry("escaped key=x", "\tA\\z")
        .containsEntry("both", ": v4")
        .containsEntry("lone", "")
        .doesNotContainKey("!");
  }

  @Test
  void everyMalformedEscapeCostsOnlyItsLine() {
    String text = "a=1\nb=\\u00\nc=\\uXYZW and more\nd\\u12=3\ncontinued=x \\\n  \\u00G0\ne=5\n=no key\n";
    PropertiesFile f = PropertiesFile.parse(text);
    assertThat(f.values).isEqualTo(Map.of("a", "1", "e", "5"));
    assertThat(f.problems).extracting(p -> p.line).containsExactly(2, 3, 4, 5, 8);
    assertThat(f.problems.get(0).reason).isEqualTo(
        "a malformed \\uXXXX escape (fewer than four hex digits) in the value of b; line skipped");
    assertThat(f.problems.get(2).reason).contains("in the key");
    assertThat(f.problems.get(4).reason).isEqualTo("no key before the separator; line skipped");
  }

  @Test
  void utf8IsReadAsUtf8AndAnythingElseAsLatin1() throws IOException {
    Path utf8 = dir.resolve("utf8.conf");
    Files.write(utf8, "\uFEFFapp_name=주문\n".getBytes(StandardCharsets.UTF_8));
    assertThat(PropertiesFile.read(utf8).values).isEqualTo(Map.of("app_name", "주문"));
    Path latin1 = dir.resolve("latin1.conf");
    Files.write(latin1, "app_name=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(PropertiesFile.read(latin1).values).isEqualTo(Map.of("app_name", "caf\u00e9"));
  }

  /**
   * Generated files of the characters that matter to the syntax: where Properties reads a file,
   * the reader reads the same map; where Properties throws, the reader names at least one line.
   */
  @Test
  void generatedFilesReadAsPropertiesReadsThem() throws IOException {
    String[] pieces = {"a", "b", "key", "=", ":", " ", "\t", "\f", "\\", "\\\\", "\\u0041", "\\u00", "\\uZZZZ",
        "#", "!", "\n", "\r\n", "\r", "\\\n", "\\\r\n", "\\n", "\\t", "x\\ y", "\u00e9"};
    Random random = new Random(19);
    int accepted = 0;
    int rejected = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(24);
      for (int i = 0; i < len; i++) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = sb.toString();
      PropertiesFile ours = PropertiesFile.parse(text);
      Properties theirs;
      try {
        theirs = javaUtil(text);
      } catch (IllegalArgumentException e) {
        rejected++;
        assertThat(ours.problems).as("%s", text).isNotEmpty();
        continue;
      }
      accepted++;
      Map<String, String> expected = asMap(theirs);
      expected.remove(""); // a line with no key is reported rather than kept
      assertThat(new TreeMap<>(ours.values)).as("%s", text).isEqualTo(expected);
    }
    assertThat(accepted).isGreaterThan(5000);
    assertThat(rejected).isGreaterThan(1000);
  }

  private static Properties javaUtil(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  private static TreeMap<String, String> asMap(Properties p) {
    TreeMap<String, String> m = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k, p.getProperty(k));
    }
    return m;
  }
}
