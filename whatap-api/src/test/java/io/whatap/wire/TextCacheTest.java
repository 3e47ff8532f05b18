package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextCacheTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameBytesGiveTheSameInstance() {
        TextCache cache = new TextCache(64);
        byte[] a = utf8("xx/orders/{id}yy");
        byte[] b = utf8("--/orders/{id}");
        String first = cache.text(a, 2, 12);
        assertThat(first).isEqualTo("/orders/{id}");
        assertThat(cache.text(b, 2, 12)).isSameAs(first);
    }

    @Test
    void differentBytesNeverShareAnEntry() {
        TextCache cache = new TextCache(16); // few slots: many collisions among 500 texts
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 500; i++) {
                String s = "10.0.0." + i;
                byte[] b = utf8(s);
                assertThat(cache.text(b, 0, b.length)).isEqualTo(s);
            }
        }
    }

    @Test
    void textsThatDifferOnlyInTheMiddleShareASlotButNeverAText() {
        TextCache cache = new TextCache(4096);
        String a = "/api/v1/customers/1111/orders/list";
        String b = "/api/v1/customers/2222/orders/list";
        assertThat(TextCache.hash(utf8(a), 0, a.length())).isEqualTo(TextCache.hash(utf8(b), 0, b.length()));
        for (int i = 0; i < 3; i++) {
            assertThat(cache.text(utf8(a), 0, a.length())).isEqualTo(a);
            assertThat(cache.text(utf8(b), 0, b.length())).isEqualTo(b);
        }
    }

    @Test
    void textsAsNewStringDecodesThemIncludingMalformedUtf8AndLongOnes() {
        TextCache cache = new TextCache(64);
        byte[] bad = {'a', (byte) 0xC3, 'b', (byte) 0xFF};
        assertThat(cache.text(bad, 0, bad.length)).isEqualTo(new String(bad, StandardCharsets.UTF_8));
        assertThat(cache.text(bad, 0, bad.length)).isEqualTo(new String(bad, StandardCharsets.UTF_8));
        byte[] korean = utf8("주문/목록");
        assertThat(cache.text(korean, 0, korean.length)).isEqualTo("주문/목록");
        String longText = "SELECT * FROM orders WHERE id = ? ".repeat(5);
        byte[] l = utf8(longText);
        String once = cache.text(l, 0, l.length);
        assertThat(once).isEqualTo(longText);
        assertThat(cache.text(l, 0, l.length)).as("longer than MAX_BYTES: decoded each time").isNotSameAs(once);
    }

    @Test
    void decodingWithACacheGivesTheSamePacksAsWithout() {
        WireWriter out = new WireWriter(64 * 1024);
        for (Golden.Vector v : Golden.vectors()) {
            out.writeBytes(v.bytes(), 0, v.bytes().length);
        }
        TextCache cache = new TextCache(256);
        DecodeResult plain = PackDecoder.decode(out.array(), 0, out.size());
        DecodeResult first = PackDecoder.decode(out.array(), 0, out.size(), cache);
        DecodeResult second = PackDecoder.decode(out.array(), 0, out.size(), cache);
        assertThat(plain.ok()).isTrue();
        assertThat(first.packs()).isEqualTo(plain.packs());
        assertThat(second.packs()).isEqualTo(plain.packs());
    }
}
