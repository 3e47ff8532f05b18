package io.whatap.undertow;

import io.undertow.server.DefaultResponseListener;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.ExceptionHandler;
import io.undertow.util.PathTemplateMatch;
import io.whatap.http.HttpServerHandler;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.TraceContext;

/**
 * One traced exchange: its transaction, the exception the traced handler threw if any, and the
 * completion listener that ends the transaction with the status the client saw. Kept as an
 * exchange attachment so that a second {@link WhatapHandler} on the same exchange joins it.
 */
final class ExchangeTrace implements ExchangeCompletionListener {
  final HttpServerHandler http;
  final TraceContext tx;
  volatile Throwable thrown;

  ExchangeTrace(HttpServerHandler http, TraceContext tx) {
    this.http = http;
    this.tx = tx;
  }

  @Override
  public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
    try {
      PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
      http.end(tx, exchange.getStatusCode(), failure(exchange), match == null ? null : match.getMatchedTemplate());
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("undertow-end", "could not read the end of an Undertow exchange", e);
      http.end(tx, 0, null, null);
    } finally {
      nextListener.proceed();
    }
  }

  /**
   * What the request failed with: thrown through the traced handler, or caught by Undertow when a
   * dispatched task threw, or caught by an {@code ExceptionHandler} inside the traced handler.
   */
  private Throwable failure(HttpServerExchange exchange) {
    Throwable t = thrown;
    if (t == null) {
      t = exchange.getAttachment(DefaultResponseListener.EXCEPTION);
    }
    if (t == null) {
      t = exchange.getAttachment(ExceptionHandler.THROWABLE);
    }
    return t;
  }
}
