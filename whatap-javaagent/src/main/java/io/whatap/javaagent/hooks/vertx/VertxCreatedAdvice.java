package io.whatap.javaagent.hooks.vertx;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code VertxImpl}'s constructors, before the new Vert.x copies the
 * registered context slots: the hook registers whatap-vertx's (what {@code WhatapVertx.init()}
 * does in library mode). Only the class loader is passed: the instance does not exist yet.
 */
public final class VertxCreatedAdvice {
  private VertxCreatedAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Origin Class<?> vertxType) {
    ClassLoader loader = vertxType.getClassLoader();
    Bridge.enter(Bridge.VERTX, Bridge.hook(Bridge.VERTX, loader), null, loader, null);
  }
}
