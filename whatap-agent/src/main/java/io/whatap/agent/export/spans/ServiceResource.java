package io.whatap.agent.export.spans;

/**
 * The process a span or a metric comes from, as OTLP resource attributes: {@code service.name}
 * (the application's app_name), {@code service.instance.id}, {@code host.name} (the local agent's
 * host, which is the application's: they share the UDP loopback) and {@code process.pid}.
 */
public record ServiceResource(String serviceName, String instanceId, String hostName, int pid) {

  /** The resource of application {@code app} running as {@code pid} on {@code hostName}. */
  public static ServiceResource of(String app, int pid, String hostName) {
    return new ServiceResource(app, app + "@" + hostName + ":" + pid, hostName, pid);
  }
}
