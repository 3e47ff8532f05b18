package com.acme.undertowservlet;

import com.acme.web.UsersServlet;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.PathHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import java.net.InetSocketAddress;

/**
 * An Undertow servlet deployment under a core {@code PathHandler} root, with no WhaTap code: the
 * servlet hook traces its requests, and the root must not be wrapped as well. Prints "PORT n".
 */
public final class UndertowServletMain {
  private UndertowServletMain() { }

  public static void main(String[] args) throws Exception {
    DeploymentInfo deployment = Servlets.deployment()
        .setClassLoader(UndertowServletMain.class.getClassLoader())
        .setContextPath("/app")
        .setDeploymentName("app.war")
        .addServlet(Servlets.servlet("users", UsersServlet.class).addMapping("/users/*"));
    DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
    manager.deploy();
    PathHandler root = Handlers.path().addPrefixPath("/app", manager.start());
    Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(root).build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    System.out.println("PORT " + port);
  }
}
