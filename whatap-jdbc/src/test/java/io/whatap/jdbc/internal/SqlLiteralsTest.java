package io.whatap.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlLiteralsTest {
  @Test
  void stringsAndNumbersBecomeQuestionMarks() {
    assertThat(SqlLiterals.mask("select * from t where a = 'x' and b = 42 and c = -3.5e10"))
        .isEqualTo("select * from t where a = ? and b = ? and c = -?");
  }

  @Test
  void escapedQuotesStayInsideTheLiteral() {
    assertThat(SqlLiterals.mask("insert into t values ('it''s', 'a\\'b', 1)"))
        .isEqualTo("insert into t values (?, ?, ?)");
  }

  @Test
  void prefixedStringsHexAndDecimalsWithoutLeadingDigit() {
    assertThat(SqlLiterals.mask("select N'x', E'a\\nb', X'0f', 0xFF, .5 from t"))
        .isEqualTo("select ?, ?, ?, ?, ? from t");
  }

  @Test
  void identifiersCommentsAndParametersAreKept() {
    String sql = "select \"col 1\", `x2`, [a b], t1.c2 from t1 -- where a = 'keep'\n"
        + "/* 'also' 12 */ where id = $1 and v$x = ?";
    assertThat(SqlLiterals.mask(sql)).isSameAs(sql);
  }

  @Test
  void dollarQuotedStringsOfPostgresql() {
    assertThat(SqlLiterals.mask("select $$it's 1$$, $body$ x $$ y $body$, 3"))
        .isEqualTo("select ?, ?, ?");
  }

  @Test
  void unterminatedLiteralsAreMaskedToTheEnd() {
    assertThat(SqlLiterals.mask("select 'secret")).isEqualTo("select ?");
    assertThat(SqlLiterals.mask("select $$secret")).isEqualTo("select ?");
    assertThat(SqlLiterals.mask("select 1 /* unterminated")).isEqualTo("select ? /* unterminated");
  }

  @Test
  void aTextWithoutLiteralsIsReturnedAsIs() {
    String sql = "select a from b where c = ?";
    assertThat(SqlLiterals.mask(sql)).isSameAs(sql);
    assertThat(SqlLiterals.mask(null)).isNull();
    assertThat(SqlLiterals.mask("")).isEmpty();
  }
}
