package io.whatap.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether {@code -javaagent:whatap-javaagent.jar} runs in this JVM. Its premain appends the jar's
 * bootstrap package to the bootstrap class loader's path, so the agent's {@code Bridge} is found
 * there and nowhere else: the system class loader also has the jar on its path, which is why the
 * lookup asks the bootstrap loader ({@code null}) alone. Nothing is initialised by the lookup.
 */
final class WhatapJavaagent {
  static final String BRIDGE = "io.whatap.javaagent.bootstrap.Bridge";

  private WhatapJavaagent() { }

  static boolean attached() {
    try {
      Class.forName(BRIDGE, false, null);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Matches when the javaagent is absent: the starter traces. */
  static final class Absent extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return attached()
          ? ConditionOutcome.noMatch("the WhaTap javaagent is attached (" + BRIDGE + " on the bootstrap class path):"
              + " it traces this application")
          : ConditionOutcome.match("no WhaTap javaagent in this JVM");
    }
  }

  /** Matches when the javaagent is attached: the starter stays off and says so once. */
  static final class Present extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return attached()
          ? ConditionOutcome.match("the WhaTap javaagent is attached")
          : ConditionOutcome.noMatch("no WhaTap javaagent in this JVM");
    }
  }
}
