package io.whatap.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
  @Test
  void queryParametersThatAreCredentialsAreDropped() {
    assertThat(JdbcUrls.withoutCredentials(
        "jdbc:postgresql://db:5432/app?user=u&password=p&sslmode=require&sslpassword=x&ApplicationName=a"))
        .isEqualTo("jdbc:postgresql://db:5432/app?sslmode=require&ApplicationName=a");
    assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://db/app?Password=p"))
        .isEqualTo("jdbc:mysql://db/app");
    assertThat(JdbcUrls.withoutCredentials("jdbc:x://h/d?TOKEN=t&apiKey=k&client_secret=s&a=1"))
        .isEqualTo("jdbc:x://h/d?a=1");
  }

  @Test
  void semicolonParametersThatAreCredentialsAreDropped() {
    assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:x;USER=sa;PASSWORD=p;DB_CLOSE_DELAY=-1"))
        .isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
    assertThat(JdbcUrls.withoutCredentials(
        "jdbc:sqlserver://h:1433;databaseName=app;user=u;password={p;w};encrypt=true"))
        .isEqualTo("jdbc:sqlserver://h:1433;databaseName=app;encrypt=true");
  }

  @Test
  void userInfoInTheAuthorityIsDropped() {
    assertThat(JdbcUrls.withoutCredentials("jdbc:postgresql://u:p%40ss@db:5432/app"))
        .isEqualTo("jdbc:postgresql://db:5432/app");
    assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://u:p@h1,h2/app?useSSL=true"))
        .isEqualTo("jdbc:mysql://h1,h2/app?useSSL=true");
  }

  @Test
  void oracleThinUserAndPasswordAreDropped() {
    assertThat(JdbcUrls.withoutCredentials("jdbc:oracle:thin:scott/tiger@db:1521:orcl"))
        .isEqualTo("jdbc:oracle:thin:@db:1521:orcl");
    assertThat(JdbcUrls.withoutCredentials("jdbc:oracle:thin:@//db:1521/svc"))
        .isEqualTo("jdbc:oracle:thin:@//db:1521/svc");
  }

  @Test
  void urlsWithoutCredentialsAreUnchanged() {
    assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:test")).isEqualTo("jdbc:h2:mem:test");
    assertThat(JdbcUrls.withoutCredentials(null)).isEmpty();
  }
}
