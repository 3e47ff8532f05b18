package io.whatap.agent;

import io.whatap.agent.settings.AgentSettings;
import io.whatap.config.ConfigLoader;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar whatap-agent.jar}: reads $WHATAP_HOME/whatap.conf (WHATAP_HOME from the
 * environment or -Dwhatap.home, else the working directory), starts the agent and runs until the
 * process is stopped. Exit status 2: the configuration was refused (or its memory bounds do not fit in
 * the heap); 3: a port could not be bound; 4: a thread of the agent met an Error (see {@link FatalError}).
 */
public final class AgentMain {
  private AgentMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    ConfigLoader loader = ConfigLoader.fromEnvironment();
    AgentSettings settings = new AgentSettings(loader.current(), loader.home());
    // the core logs its own config problems to the application's agent log, which this process has not
    for (String p : loader.skippedLines()) {
      System.err.println("whatap-agent: config: " + p);
    }
    for (String p : loader.current().problems()) {
      if (!(settings.udpPort == 0 && p.startsWith("net_udp_port="))) { // 0 is refused for applications only
        System.err.println("whatap-agent: config: " + p);
      }
    }
    for (String p : settings.problems()) {
      System.err.println("whatap-agent: config: " + p);
    }
    // any thread of ours, Vert.x's or the JDK's that dies of an Error ends the process rather than a part of it
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      if (error instanceof Error) {
        FatalError.haltProcess("thread " + thread.getName(), error);
      } else {
        System.err.println("whatap-agent: thread " + thread.getName() + " ended: " + error);
      }
    });
    LocalAgent agent;
    try {
      agent = LocalAgent.start(settings, FatalError::haltProcess);
    } catch (IllegalArgumentException e) {
      System.err.println("whatap-agent: refused to start: " + e.getMessage());
      System.exit(2);
      return;
    } catch (IOException e) {
      System.err.println("whatap-agent: " + e.getMessage());
      System.exit(3);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "whatap-agent-shutdown"));
    System.out.println("whatap-agent: home " + loader.home() + ", UDP " + settings.udpHost + ":" + agent.udpPort()
        + ", dashboard " + agent.dashboardUrl()
        + (settings.token.isEmpty() ? "" : " (requires agent_token: ?token=... or Authorization: Bearer ...)"));
    stopped.await();
  }
}
