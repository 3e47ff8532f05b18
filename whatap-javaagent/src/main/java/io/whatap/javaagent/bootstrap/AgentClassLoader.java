package io.whatap.javaagent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own classes (whatap-api's core, the hooks, relocated Byte Buddy) from the
 * jar's {@code inst/} folder, where they are stored as {@code .classdata} entries: neither the
 * system class loader (which has the agent jar on its path) nor the bootstrap loader (which has
 * its top level) can find them, so the application never sees them. The parent is the platform
 * loader: JDK modules, and this bootstrap package through it.
 */
public final class AgentClassLoader extends ClassLoader {
  static final String PREFIX = "inst/";
  static final String CLASS_SUFFIX = ".classdata";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain domain;

  public AgentClassLoader(JarFile jar, URL jarLocation) {
    super("whatap-agent", ClassLoader.getPlatformClassLoader());
    this.jar = jar;
    this.jarUrl = jarLocation.toExternalForm();
    this.domain = new ProtectionDomain(new CodeSource(jarLocation, (Certificate[]) null), null, this, null);
  }

  /** The bytes of the agent class {@code className} as stored in the jar, or null; adapter loaders define their copies from these. */
  public byte[] classBytes(String className) {
    JarEntry entry = jar.getJarEntry(PREFIX + className.replace('.', '/') + CLASS_SUFFIX);
    if (entry == null) {
      return null;
    }
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  public ProtectionDomain protectionDomain() {
    return domain;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = classBytes(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  /** Resources under {@code inst/}; a {@code .class} resource (what Byte Buddy reads advice from) maps to its {@code .classdata} entry. */
  @Override
  protected URL findResource(String name) {
    String entryName = PREFIX + (name.endsWith(".class")
        ? name.substring(0, name.length() - ".class".length()) + CLASS_SUFFIX : name);
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL("jar:" + jarUrl + "!/" + entryName);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
  }
}
