package io.whatap.bench.soak;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The heap of another JVM after a full GC, through the attach API and that JVM's local JMX
 * agent: the same reading for every collector (jcmd GC.heap_info prints a different layout per
 * collector). The JVM under test needs no option and no endpoint of its own.
 */
final class HeapProbe implements AutoCloseable {
  private final JMXConnector connector;
  private final MemoryMXBean memory;

  private HeapProbe(JMXConnector connector, MemoryMXBean memory) {
    this.connector = connector;
    this.memory = memory;
  }

  static HeapProbe attach(long pid) throws IOException {
    String address;
    try {
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
    } catch (com.sun.tools.attach.AttachNotSupportedException e) {
      throw new IOException("cannot attach to pid " + pid + ": " + e.getMessage(), e);
    }
    JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address));
    MemoryMXBean m = ManagementFactory.newPlatformMXBeanProxy(c.getMBeanServerConnection(),
        ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    return new HeapProbe(c, m);
  }

  /** Forces a full GC in that JVM (System.gc()), then reads its heap used, in bytes. */
  long usedAfterGc() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException ignored) {
      // the JVM is going away
    }
  }
}
