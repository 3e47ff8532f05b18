package io.whatap.javaagent;

/** Spring Boot 4.0 MVC, embedded Tomcat 11 (module whatap-javaagent-boot4-app) under the javaagent: {@link SpringBootMvcChecks}. */
class SpringBoot4JavaagentIT extends SpringBootMvcChecks {
  @Override
  String name() {
    return "spring-boot4";
  }

  @Override
  String jarProperty() {
    return "javaagent.boot4.jar";
  }
}
