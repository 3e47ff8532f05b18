package com.acme;

/** Hooked by name: hook_method_patterns=com.acme.Service.handle (other is not). */
public class Service {
  public String handle(String order) {
    return "handled " + order;
  }

  public String other() {
    return "other";
  }
}
