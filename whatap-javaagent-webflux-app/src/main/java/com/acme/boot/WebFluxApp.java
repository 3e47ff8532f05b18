package com.acme.boot;

import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** A Spring WebFlux application on Boot's Reactor Netty that knows nothing of WhaTap. */
@SpringBootApplication
@RestController
public class WebFluxApp {
  public static void main(String[] args) {
    SpringApplication.run(WebFluxApp.class, args);
  }

  @GetMapping("/users/{id}")
  public Mono<String> user(@PathVariable("id") String id) {
    return Mono.just("user " + id);
  }

  /** Answers from a timer thread, after the handler method returned: the transaction must end then, not before. */
  @GetMapping("/slow/{ms}")
  public Mono<String> slow(@PathVariable("ms") long ms) {
    return Mono.delay(Duration.ofMillis(ms)).map(ignored -> "slept " + ms);
  }

  /** A lookup on a bounded-elastic thread, then decorated on a parallel-scheduler thread (publishOn). */
  @GetMapping("/reactive/{id}")
  public Mono<String> reactive(@PathVariable("id") String id) {
    return Mono.fromCallable(() -> Lookup.find(id)).subscribeOn(Schedulers.boundedElastic())
        .publishOn(Schedulers.parallel()).map(Lookup::decorate);
  }

  @GetMapping("/boom")
  public Mono<String> boom() {
    return Mono.error(new IllegalStateException("acme webflux failure"));
  }
}
