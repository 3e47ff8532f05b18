package io.whatap.javaagent;

/** Spring Boot 3.5 MVC (module whatap-javaagent-boot-app) under the javaagent: {@link SpringBootMvcChecks}. */
class SpringBootJavaagentIT extends SpringBootMvcChecks {
  @Override
  String name() {
    return "spring-boot";
  }

  @Override
  String jarProperty() {
    return "javaagent.boot.jar";
  }
}
