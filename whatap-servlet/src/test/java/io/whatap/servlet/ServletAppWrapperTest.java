package io.whatap.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.Whatap;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** The registerApp module must not break registerApp where its framework is absent. */
class ServletAppWrapperTest {

  @Test
  void withoutTheServletApiRegisterAppStillWorksAndNamesTheServletType() throws Exception {
    URL api = Whatap.class.getProtectionDomain().getCodeSource().getLocation();
    URL module = ServletAppWrapper.class.getProtectionDomain().getCodeSource().getLocation();
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader noServletApi = new URLClassLoader(new URL[] {api, module}, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> noServletApi.loadClass("jakarta.servlet.Servlet")).isInstanceOf(ClassNotFoundException.class);
      thread.setContextClassLoader(noServletApi);
      Method registerApp = noServletApi.loadClass(Whatap.class.getName()).getMethod("registerApp", Object.class);

      assertThatThrownBy(() -> registerApp.invoke(null, "not a handler"))
          .isInstanceOf(InvocationTargetException.class)
          .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jakarta.servlet.Servlet");
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Test
  void onlyServletsAreSupported() {
    ServletAppWrapper wrapper = new ServletAppWrapper();
    assertThat(wrapper.supports(new RouteServlet())).isTrue();
    assertThat(wrapper.supports((Runnable) () -> { })).isFalse();
    assertThat(wrapper.supports(null)).isFalse();
  }
}
