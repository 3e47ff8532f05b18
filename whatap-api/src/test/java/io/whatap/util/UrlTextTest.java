package io.whatap.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlTextTest {
  @Test
  void queryFragmentAndUserInfoAreRemoved() {
    assertThat(UrlText.recordable("https://shop.example/cart?token=t1&x=2")).isEqualTo("https://shop.example/cart");
    assertThat(UrlText.recordable("https://shop.example/cart#access_token=t2")).isEqualTo("https://shop.example/cart");
    assertThat(UrlText.recordable("https://user:pw@api.example:8443/v1?k=1")).isEqualTo("https://api.example:8443/v1");
    assertThat(UrlText.recordable("http://a@b@host")).isEqualTo("http://host");
    assertThat(UrlText.recordable("/relative/path?q=1")).isEqualTo("/relative/path");
    assertThat(UrlText.recordable("?only=query")).isEmpty();
    assertThat(UrlText.recordable(null)).isNull();
  }

  @Test
  void anAtSignInThePathOrQueryIsNotUserInfo() {
    assertThat(UrlText.recordable("https://host/users/@me")).isEqualTo("https://host/users/@me");
    assertThat(UrlText.recordable("https://host?mail=a@b")).isEqualTo("https://host");
  }

  @Test
  void aUrlWithNothingToRemoveIsTheSameInstance() {
    String url = "https://shop.example/cart";
    assertThat(UrlText.recordable(url)).isSameAs(url);
  }
}
