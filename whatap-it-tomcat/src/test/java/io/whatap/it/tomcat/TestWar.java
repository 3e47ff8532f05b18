package io.whatap.it.tomcat;

import io.whatap.it.tomcat.app.HelloServlet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The WAR under test, built here: WEB-INF/lib holds whatap-wire, whatap-api and whatap-servlet (the jars this
 * build packaged, copied to {@code -Dwar.lib}), WEB-INF/web.xml registers WhatapFilter with an
 * {@code app_name} init-param, WEB-INF/classes holds {@link HelloServlet}.
 */
final class TestWar {
  static final String APP_NAME = "it-tomcat-app";

  private TestWar() { }

  static String webXml() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
        + "  <filter>\n"
        + "    <filter-name>whatap</filter-name>\n"
        + "    <filter-class>io.whatap.servlet.WhatapFilter</filter-class>\n"
        + "    <async-supported>true</async-supported>\n"
        + "    <init-param><param-name>app_name</param-name><param-value>" + APP_NAME + "</param-value></init-param>\n"
        + "  </filter>\n"
        + "  <filter-mapping>\n"
        + "    <filter-name>whatap</filter-name>\n"
        + "    <url-pattern>/*</url-pattern>\n"
        + "    <dispatcher>REQUEST</dispatcher>\n"
        + "    <dispatcher>ASYNC</dispatcher>\n"
        + "  </filter-mapping>\n"
        + "  <servlet>\n"
        + "    <servlet-name>hello</servlet-name>\n"
        + "    <servlet-class>" + HelloServlet.class.getName() + "</servlet-class>\n"
        + "  </servlet>\n"
        + "  <servlet-mapping>\n"
        + "    <servlet-name>hello</servlet-name>\n"
        + "    <url-pattern>/hello</url-pattern>\n"
        + "  </servlet-mapping>\n"
        + "</web-app>\n";
  }

  /** Writes generation {@code generation} of the WAR and moves it into place at once (Tomcat never sees half a file). */
  static void deploy(Path war, int generation) throws IOException {
    Path tmp = war.resolveSibling("." + war.getFileName() + ".tmp");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
      put(zip, "WEB-INF/web.xml", webXml().getBytes(StandardCharsets.UTF_8));
      put(zip, "WEB-INF/generation.txt", String.valueOf(generation).getBytes(StandardCharsets.UTF_8));
      String servlet = HelloServlet.class.getName().replace('.', '/') + ".class";
      try (InputStream in = HelloServlet.class.getClassLoader().getResourceAsStream(servlet)) {
        put(zip, "WEB-INF/classes/" + servlet, in.readAllBytes());
      }
      for (Path jar : libJars()) {
        put(zip, "WEB-INF/lib/" + jar.getFileName(), Files.readAllBytes(jar));
      }
    }
    Files.move(tmp, war, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** whatap-wire, whatap-api and whatap-servlet as packaged by this build. */
  static List<Path> libJars() throws IOException {
    String dir = System.getProperty("war.lib");
    if (dir == null) {
      throw new IllegalStateException("-Dwar.lib must name the directory holding the whatap jars for WEB-INF/lib");
    }
    try (Stream<Path> jars = Files.list(Path.of(dir))) {
      List<Path> found = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
      if (found.size() != 3) {
        throw new IllegalStateException(dir + " should hold whatap-wire, whatap-api and whatap-servlet, holds " + found);
      }
      return found;
    }
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }
}
