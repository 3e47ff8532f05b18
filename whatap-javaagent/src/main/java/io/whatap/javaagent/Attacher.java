package io.whatap.javaagent;

import com.sun.tools.attach.VirtualMachine;

/**
 * The Attach API call of {@code --attach}, in a class of its own so that {@link WhatapAgent} links
 * without the {@code jdk.attach} module (a JVM that only runs the agent never needs it).
 */
final class Attacher {
  private Attacher() { }

  static void attach(String pid, String agentJar) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(pid);
    try {
      vm.loadAgent(agentJar, "");
    } finally {
      vm.detach();
    }
  }
}
