package dev.coati.util;

import java.nio.charset.StandardCharsets;

/**
 * The one escaping helper for strings a peer chose (IDs, user names, host names, vendor text)
 * before they go into a log line: nothing a peer sends can end a line, forge another one, move the
 * cursor or colour a terminal. Use {@link #escape} for running text and {@link #value} for the
 * value of a {@code key=value} field; both are safe for every log format coati writes.
 *
 * <p>Kept: printable ASCII except {@code \} and {@code "}, and printable non-ASCII letters, digits,
 * marks, punctuation and symbols. Escaped: {@code \} as {@code \\}, {@code "} as {@code \"}, TAB,
 * CR and LF as {@code \t}, {@code \r}, {@code \n}, every other control character (C0, DEL, C1, so
 * ESC and the ANSI CSI), format characters (bidi overrides, zero-width), line and paragraph
 * separators, unpaired surrogates, private-use and unassigned code points as {@code \xNN} or {@code
 * \}{@code uNNNN}. The output is ASCII-compatible and never contains a line break.
 */
public final class LogSafe {
  /** Longest text kept from one peer string; the rest becomes "...(N more)". */
  public static final int MAX_CHARS = 256;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LogSafe() {}

  /** Running text: escaped as above, {@code "-"} for null. */
  public static String escape(CharSequence s) {
    if (s == null) {
      return "-";
    }
    if (isClean(s)) {
      return s.toString();
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    append(sb, s);
    return sb.toString();
  }

  /**
   * The value of a {@code key=value} field: escaped, and in double quotes when it is empty or holds
   * a space, {@code =} or a quote, so a value can never be read as a second field.
   */
  public static String value(CharSequence s) {
    if (s == null) {
      return "-";
    }
    String e = escape(s);
    boolean quote = e.isEmpty();
    for (int i = 0; i < e.length() && !quote; i++) {
      char c = e.charAt(i);
      quote = c == ' ' || c == '=' || c == '"' || c == '\\';
    }
    return quote ? "\"" + e + "\"" : e;
  }

  /** Bytes a peer sent as a name: as text when they are printable UTF-8, else as hex. */
  public static String text(byte[] b) {
    if (b == null) {
      return "-";
    }
    if (isPrintableAscii(b)) {
      return escape(new String(b, StandardCharsets.US_ASCII));
    }
    return "0x" + Hex.encode(b);
  }

  /** True when every byte is printable ASCII (0x20 to 0x7e) and there is at least one. */
  public static boolean isPrintableAscii(byte[] b) {
    if (b.length == 0) {
      return false;
    }
    for (byte x : b) {
      if (x < 0x20 || x > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static boolean isClean(CharSequence s) {
    if (s.length() > MAX_CHARS) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '\\' || c == '"') {
        return false;
      }
    }
    return true;
  }

  private static void append(StringBuilder sb, CharSequence s) {
    int n = Math.min(s.length(), MAX_CHARS);
    int i = 0;
    while (i < n) {
      int cp = Character.codePointAt(s, i);
      int len = Character.charCount(cp);
      switch (cp) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (cp >= 0x20 && cp < 0x7f) {
            sb.append((char) cp);
          } else if (cp > 0x7f && printable(cp)) {
            sb.appendCodePoint(cp);
          } else {
            escapeCodePoint(sb, cp);
          }
        }
      }
      i += len;
    }
    if (s.length() > n) {
      sb.append("...(").append(s.length() - n).append(" more)");
    }
  }

  private static boolean printable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.SPACE_SEPARATOR ->
          false;
      default -> true;
    };
  }

  private static void escapeCodePoint(StringBuilder sb, int cp) {
    if (cp <= 0xff) {
      sb.append("\\x").append(HEX[cp >> 4]).append(HEX[cp & 0xf]);
    } else if (cp <= 0xffff) {
      sb.append("\\u");
      for (int shift = 12; shift >= 0; shift -= 4) {
        sb.append(HEX[(cp >> shift) & 0xf]);
      }
    } else {
      sb.append("\\U");
      for (int shift = 28; shift >= 0; shift -= 4) {
        sb.append(HEX[(cp >> shift) & 0xf]);
      }
    }
  }
}
