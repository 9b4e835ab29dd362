package dev.coati.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogSafeTest {
  @Test
  void plainTextIsKept() {
    assertEquals("alice@example.com", LogSafe.escape("alice@example.com"));
    assertEquals("vpn group 1", LogSafe.escape("vpn group 1"));
    assertEquals("José", LogSafe.escape("José"));
  }

  @Test
  void forgedLineCannotStartANewLine() {
    String forged = "bob\n2026-12-07T10:00:00.000Z INFO ike[7] Xauth ok for user admin\r";
    String e = LogSafe.escape(forged);
    assertEquals("bob\\n2026-12-07T10:00:00.000Z INFO ike[7] Xauth ok for user admin\\r", e);
    assertFalse(e.contains("\n") || e.contains("\r"));
  }

  @Test
  void ansiEscapesAndControlsAreHex() {
    assertEquals("\\x1b[31mred\\x1b[0m", LogSafe.escape("\u001b[31mred\u001b[0m"));
    assertEquals("a\\x00b\\x7fc\\x9bd\\te", LogSafe.escape("a\u0000b\u007fc\u009bd\te"));
  }

  @Test
  void formatAndSeparatorCharactersAreEscaped() {
    // right-to-left override, zero-width space, line separator, NBSP, unpaired surrogate
    assertEquals(
        "x\\u202ey\\u200bz\\u2028w\\xa0v\\ud800",
        LogSafe.escape("x\u202ey\u200bz\u2028w\u00a0v\ud800"));
    assertEquals("\\U000f0000", LogSafe.escape(new String(Character.toChars(0xf0000))));
  }

  @Test
  void quotesAndBackslashesCannotCloseAValue() {
    assertEquals("\"a\\\"b\"", LogSafe.value("a\"b"));
    assertEquals("\"a\\\\b\"", LogSafe.value("a\\b"));
    assertEquals("\"two words\"", LogSafe.value("two words"));
    assertEquals("\"user=admin\"", LogSafe.value("user=admin"));
    assertEquals("\"\"", LogSafe.value(""));
    assertEquals("alice", LogSafe.value("alice"));
    assertEquals("-", LogSafe.value(null));
    assertEquals("-", LogSafe.escape(null));
  }

  @Test
  void longStringsAreCut() {
    String e = LogSafe.escape("a".repeat(300));
    assertEquals("a".repeat(LogSafe.MAX_CHARS) + "...(44 more)", e);
  }

  @Test
  void bytesAsTextWhenPrintable() {
    assertEquals("vpngroup", LogSafe.text("vpngroup".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("0x0001ff", LogSafe.text(new byte[] {0, 1, (byte) 0xff}));
    assertEquals("0x", LogSafe.text(new byte[0]));
    assertTrue(LogSafe.isPrintableAscii("a b".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(LogSafe.isPrintableAscii("a\nb".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void everyCharacterOfEveryEscapedStringIsPrintableAscii() {
    StringBuilder all = new StringBuilder();
    for (int c = 0; c < 0x3000; c++) {
      all.append((char) c);
    }
    String e = LogSafe.escape(all.substring(0, 200)) + LogSafe.escape(all.substring(0x80, 0x2f0));
    for (char c : e.toCharArray()) {
      assertTrue(
          c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && c != 0x2028, "char " + (int) c);
    }
  }
}
