package io.whatap.javaagent;

/**
 * Spring Boot 3.5 MVC on Boot's embedded Jetty (module whatap-javaagent-boot-jetty-app) under the
 * javaagent: {@link SpringBootMvcChecks} (route-template names, status, the handler's exception).
 */
class SpringBootJettyJavaagentIT extends SpringBootMvcChecks {
  @Override
  String name() {
    return "spring-boot-jetty";
  }

  @Override
  String jarProperty() {
    return "javaagent.boot-jetty.jar";
  }
}
