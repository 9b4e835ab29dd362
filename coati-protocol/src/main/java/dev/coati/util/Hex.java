package dev.coati.util;

import java.util.HexFormat;

/** Hex helpers for tests, fixtures and logs (never for key material in logs). */
public final class Hex {
  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] b) {
    return FORMAT.formatHex(b);
  }

  /** Decodes hex, ignoring whitespace and ':' separators. */
  public static byte[] decode(String s) {
    return FORMAT.parseHex(s.replaceAll("[\\s:]", ""));
  }
}
