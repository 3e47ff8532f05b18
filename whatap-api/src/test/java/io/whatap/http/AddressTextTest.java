package io.whatap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AddressTextTest {
  @Test
  void formatsEachAddressObjectOnceAndReturnsTheSameText() throws Exception {
    AtomicInteger formatted = new AtomicInteger();
    AddressText<InetSocketAddress> texts = new AddressText<>(64, a -> {
      formatted.incrementAndGet();
      return a.getAddress().getHostAddress();
    });
    InetSocketAddress peer = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 1, 2, 3}), 5000);
    String first = texts.of(peer);
    assertThat(first).isEqualTo("10.1.2.3");
    assertThat(texts.of(peer)).isSameAs(first);
    assertThat(formatted).hasValue(1);
    assertThat(texts.of(null)).isNull();
  }

  @Test
  void equalButDistinctAddressesAndCollisionsStillGiveTheRightText() throws Exception {
    AddressText<InetAddress> texts = new AddressText<>(2, InetAddress::getHostAddress);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 200; i++) {
        InetAddress a = InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
        assertThat(texts.of(a)).isEqualTo("10.0." + (i >> 8) + "." + (i & 0xff));
      }
    }
  }
}
