package io.whatap.javaagent;

import io.whatap.util.AgentLog;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Type matchers Byte Buddy lacks in the form needed here. */
public final class TypeMatchers {
  private TypeMatchers() { }

  /**
   * {@code matcher}, false when it cannot decide: a supertype missing from the class path (an
   * optional dependency) must not turn into a transformation error for a class we never meant
   * to touch.
   */
  public static ElementMatcher.Junction<TypeDescription> safely(ElementMatcher<? super TypeDescription> matcher) {
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription target) {
        try {
          return matcher.matches(target);
        } catch (RuntimeException | LinkageError e) {
          AgentLog.get().log(System.Logger.Level.DEBUG, "cannot resolve the supertypes of " + target.getName()
              + "; not instrumented: " + e);
          return false;
        }
      }
    };
  }
}
