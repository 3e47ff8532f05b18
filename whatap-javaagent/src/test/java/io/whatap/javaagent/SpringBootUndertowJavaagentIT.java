package io.whatap.javaagent;

/**
 * Spring Boot 3.5 MVC on Boot's embedded Undertow (module whatap-javaagent-boot-undertow-app) under the
 * javaagent: {@link SpringBootMvcChecks} (route-template names, status, the handler's exception).
 */
class SpringBootUndertowJavaagentIT extends SpringBootMvcChecks {
  @Override
  String name() {
    return "spring-boot-undertow";
  }

  @Override
  String jarProperty() {
    return "javaagent.boot-undertow.jar";
  }
}
