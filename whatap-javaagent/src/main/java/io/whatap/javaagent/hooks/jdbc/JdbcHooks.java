package io.whatap.javaagent.hooks.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.whatap.javaagent.TypeMatchers;
import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.StateHolder;
import io.whatap.util.AgentLog;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.FieldAccessor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * JDBC with no code change, for any driver and pool: the implementations of {@code java.sql.Driver},
 * {@code javax.sql.DataSource}, {@code Connection}, {@code Statement} (prepared and callable ones
 * included) and {@code ResultSet} loaded after the agent started get advice calling whatap-jdbc's
 * {@code JdbcRecorder}, the code library mode's wrappers call, and a field for the recorder's state
 * ({@link StateHolder}). whatap-jdbc's own wrappers (any copy the application carries) only mark
 * what they call as nested, so a wrapped DataSource is recorded once, by the wrappers.
 *
 * <p>A transformer of its own: adding a field is a class format change, which the servlet/method
 * transformer ({@code DECORATE}) and the retransforming HTTP-client one do not allow. Classes loaded
 * before the agent are not touched (no retransformation): their calls are not recorded.
 */
public final class JdbcHooks {
  static final String STATE_FIELD = "whatap$state";
  /** whatap-jdbc's library-mode wrappers: they record; the agent only counts what they call as nested. */
  static final String[] LIBRARY_WRAPPERS = {
      "io.whatap.jdbc.WhatapJdbc",
      "io.whatap.jdbc.internal.TracedDataSource",
      "io.whatap.jdbc.internal.TracedDriver",
      "io.whatap.jdbc.internal.TracedStatement",
      "io.whatap.jdbc.internal.TracedPreparedStatement",
      "io.whatap.jdbc.internal.TracedCallableStatement"};
  static final String[] EXECUTE_METHODS = {"execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
      "executeBatch", "executeLargeBatch", "addBatch", "clearBatch"};

  private JdbcHooks() { }

  public static void install(Instrumentation instrumentation) {
    Bridge.install(Bridge.JDBC_CONNECT, libraryObject -> ConnectHook.INSTANCE);
    Bridge.install(Bridge.JDBC_STATEMENT, libraryObject -> StatementHook.INSTANCE);
    Bridge.install(Bridge.JDBC_EXECUTE, libraryObject -> ExecuteHook.INSTANCE);
    Bridge.install(Bridge.JDBC_RESULT_SET, libraryObject -> ResultSetHook.INSTANCE);
    Bridge.install(Bridge.JDBC_CLOSE, libraryObject -> CloseHook.INSTANCE);
    Bridge.install(Bridge.JDBC_LIBRARY_WRAPPER, libraryObject -> LibraryWrapperHook.INSTANCE);
    transformations(instrumentation).installOn(instrumentation);
  }

  static AgentBuilder transformations(Instrumentation instrumentation) {
    return new AgentBuilder.Default()
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(new LogListener())
        .assureReadEdgeTo(instrumentation, Bridge.class)
        .ignore(nameStartsWith("java.")
            .or(nameStartsWith("javax."))
            .or(nameStartsWith("jdk."))
            .or(nameStartsWith("sun."))
            .or(nameStartsWith("com.sun."))
            .or(nameStartsWith("net.bytebuddy."))
            .or(nameStartsWith("io.whatap.").and(not(namedOneOf(LIBRARY_WRAPPERS))))
            .or(isSynthetic()))
        .type(namedOneOf(LIBRARY_WRAPPERS))
        .transform((builder, type, loader, module, domain) -> builder.visit(Advice.to(LibraryWrapperAdvice.class)
            .on(not(isAbstract()).and(isPublic()).and(namedOneOf("getConnection", "connect")
                .or(namedOneOf(EXECUTE_METHODS))))))
        .type(not(isInterface()).and(not(nameStartsWith("io.whatap."))).and(TypeMatchers.safely(hasSuperType(
            namedOneOf(Driver.class.getName(), DataSource.class.getName(), Connection.class.getName(),
                Statement.class.getName(), ResultSet.class.getName())))))
        .transform((builder, type, loader, module, domain) -> instrument(builder, type));
  }

  /** The state field, its accessors, and the advice for each JDBC role the type has (usually one). */
  private static DynamicType.Builder<?> instrument(DynamicType.Builder<?> builder, TypeDescription type) {
    builder = builder
        .defineField(STATE_FIELD, Object.class, Modifier.PRIVATE | Modifier.TRANSIENT | Modifier.VOLATILE)
        .implement(StateHolder.class)
        .intercept(FieldAccessor.ofField(STATE_FIELD));
    ElementMatcher.Junction<MethodDescription> body = not(isAbstract()).and(isPublic());
    if (type.isAssignableTo(Driver.class)) {
      builder = builder.visit(Advice.to(ConnectAdvice.class).on(body.and(named("connect")).and(takesArguments(2))
          .and(takesArgument(0, String.class))));
    }
    if (type.isAssignableTo(DataSource.class)) {
      builder = builder.visit(Advice.to(ConnectAdvice.class).on(body.and(named("getConnection"))
          .and(takesArguments(0).or(takesArguments(String.class, String.class)))));
    }
    if (type.isAssignableTo(Connection.class)) {
      builder = builder
          .visit(Advice.to(StatementMadeAdvice.class).on(body.and(
              namedOneOf("prepareStatement", "prepareCall").and(takesArgument(0, String.class))
                  .or(named("createStatement")))))
          .visit(Advice.to(CloseAdvice.class).on(body.and(named("close")).and(takesArguments(0))));
    }
    if (type.isAssignableTo(Statement.class)) {
      builder = builder
          .visit(Advice.to(ExecuteAdvice.class).on(body.and(namedOneOf(EXECUTE_METHODS))
              .and(takesArguments(0).or(takesArgument(0, String.class)))))
          .visit(Advice.to(StatementMadeAdvice.class).on(body.and(named(StatementHook.GET_RESULT_SET))
              .and(takesArguments(0))))
          .visit(Advice.to(CloseAdvice.class).on(body.and(named("close").and(takesArguments(0))
              .or(named("getMoreResults")))));
    }
    if (type.isAssignableTo(ResultSet.class)) {
      builder = builder.visit(Advice.to(ResultSetAdvice.class).on(body.and(namedOneOf("next", "close"))
          .and(takesArguments(0))));
    }
    return builder;
  }

  /** Failures go to the agent log, once per class; the class loads unchanged and its calls are not recorded. */
  private static final class LogListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      AgentLog.get().warnOnce("transform:" + typeName, "could not instrument " + typeName
          + "; its JDBC calls are not recorded", throwable);
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      AgentLog.get().log(System.Logger.Level.DEBUG, "instrumented " + type.getName() + " (JDBC)");
    }
  }
}
