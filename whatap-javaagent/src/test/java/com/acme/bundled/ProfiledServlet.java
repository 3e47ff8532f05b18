package com.acme.bundled;

import io.whatap.Transaction;
import io.whatap.Whatap;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An application that bundles its own whatap-api (WEB-INF/lib) and records through it: a profiled
 * lookup with an SQL step and a message inside. Answers with the txid its copy of {@code Whatap}
 * saw, and where its {@code Whatap} class came from, so the test can tell it is the WAR's copy.
 */
@WebServlet(urlPatterns = "/profiled")
public class ProfiledServlet extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String body;
    try {
      body = Whatap.profile("com.acme.bundled.lookup", () -> {
        Transaction tx = Whatap.currentTransaction();
        tx.sql("jdbc:h2:mem:acme", "select name from users where id = ?", System.currentTimeMillis(), 1, 1);
        Whatap.message("acme", "lookup", "through the WAR's own whatap-api");
        return "txid " + tx.txid();
      });
    } catch (Exception e) {
      throw new IOException(e);
    }
    boolean ownCopy = Whatap.class.getClassLoader() == getClass().getClassLoader();
    response.setContentType("text/plain");
    response.getWriter().print(body + " own-copy " + ownCopy);
  }
}
