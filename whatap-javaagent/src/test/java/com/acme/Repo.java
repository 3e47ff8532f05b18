package com.acme;

/** Hooked as a whole: hook_method_patterns=com.acme.Repo.* */
public class Repo {
  private int saved;

  public int find(int id) {
    return id * 2;
  }

  public void save(int row) {
    saved += row;
  }

  public static int count() {
    return 7;
  }

  public int saved() {
    return saved;
  }
}
