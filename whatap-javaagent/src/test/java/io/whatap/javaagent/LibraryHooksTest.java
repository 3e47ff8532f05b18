package io.whatap.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.javaagent.bootstrap.AgentClassLoader;
import io.whatap.util.AgentLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of a library the hook cannot be made for (here: the hook's classes are not in the agent's
 * jar, as when a library version does not link against the adapter) is left untraced: no hook, no
 * throw, and one agent-log warning for that copy however many of its objects come by.
 */
class LibraryHooksTest {
  @Test
  void aLibraryCopyWithoutAHookIsLeftUntracedAndNamedOnce(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("agent-without-the-hook.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("inst/"));
      out.closeEntry();
    }
    String hookClass = "io.whatap.httpclient.jetty.JettyAgentHook";
    try (JarFile agentJar = new JarFile(jar.toFile())) {
      LibraryHooks hooks = new LibraryHooks("java.lang.Runnable", hookClass,
          new String[] {"io.whatap.httpclient.jetty."}, new AgentClassLoader(agentJar, jar.toUri().toURL()));
      Runnable first = () -> { };
      Runnable second = () -> { };
      String key = "hook:" + hookClass + ":" + Runnable.class.getClassLoader();
      long before = AgentLog.get().occurrences(key);

      assertThat(hooks.hookFor(first)).isNull();
      assertThat(hooks.hookFor(second)).isNull();
      assertThat(hooks.hookFor(first)).isNull();

      assertThat(AgentLog.get().occurrences(key) - before).as("warnings for that copy").isEqualTo(1);
    }
  }
}
