package io.whatap.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HookPatternsTest {
  @Test
  void classMethodAndClassStar() {
    HookPatterns p = HookPatterns.parse(
        List.of("com.acme.Service.handle", " com.acme.Repo.* ", "com.acme.Outer$Inner.run"));
    assertThat(p.classes()).containsExactlyInAnyOrder("com.acme.Service", "com.acme.Repo", "com.acme.Outer$Inner");
    assertThat(p.matches("com.acme.Service", "handle")).isTrue();
    assertThat(p.matches("com.acme.Service", "other")).isFalse();
    assertThat(p.matches("com.acme.Repo", "anything")).isTrue();
    assertThat(p.matches("com.acme.Outer$Inner", "run")).isTrue();
    assertThat(p.matches("com.acme.Other", "handle")).isFalse();
    assertThat(p.rejected()).isEmpty();
  }

  @Test
  void malformedPatternsAreRejectedNotGuessed() {
    HookPatterns p = HookPatterns.parse(List.of("handle", "com.acme.", ".run", "com.*.Repo.find", "com.acme.A b.c"));
    assertThat(p.classes()).isEmpty();
    assertThat(p.rejected()).hasSize(5);
  }
}
