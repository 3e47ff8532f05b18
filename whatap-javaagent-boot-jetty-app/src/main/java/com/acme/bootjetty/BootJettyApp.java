package com.acme.bootjetty;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A Spring MVC application on Boot's embedded Jetty that knows nothing of WhaTap. */
@SpringBootApplication
@RestController
public class BootJettyApp {
  public static void main(String[] args) {
    SpringApplication.run(BootJettyApp.class, args);
  }

  @GetMapping("/users/{id}")
  public String user(@PathVariable("id") String id) {
    return "user " + id;
  }

  @GetMapping("/boom")
  public String boom() {
    throw new IllegalStateException("acme boot failure");
  }
}
