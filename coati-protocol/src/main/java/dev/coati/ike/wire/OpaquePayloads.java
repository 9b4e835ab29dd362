package dev.coati.ike.wire;

import java.util.Arrays;
import java.util.HexFormat;

/** Helpers shared by payloads that carry byte arrays (content equality, short hex). */
final class OpaquePayloads {
  private OpaquePayloads() {}

  static String hex(byte[] b) {
    String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 16));
    return b.length > 16 ? h + "..(" + b.length + ")" : h;
  }

  static boolean eq(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }

  static int hash(byte[] a) {
    return Arrays.hashCode(a);
  }
}
