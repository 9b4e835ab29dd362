package dev.coati.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The NT password hash (RFC 2433 §A.6, RFC 2759 §8.3 NtPasswordHash): MD4 of the password's
 * UTF-16LE encoding. It is password-equivalent for MS-CHAP: whoever holds it can log in, so the
 * users file that stores it must stay private (mode 0600).
 */
public final class NtHash {
  private NtHash() {}

  /**
   * The NT hash of a password given as UTF-8 bytes (what Xauth and PAP carry). Bytes that are not
   * valid UTF-8 are taken as ISO-8859-1 characters, which is what a Windows client with a legacy
   * code page would have typed.
   */
  public static byte[] of(byte[] utf8Password) {
    char[] chars = decode(utf8Password);
    byte[] le = new byte[chars.length * 2];
    for (int i = 0; i < chars.length; i++) {
      le[2 * i] = (byte) chars[i];
      le[2 * i + 1] = (byte) (chars[i] >>> 8);
    }
    Arrays.fill(chars, '\0');
    byte[] hash = Md4.digest(le);
    Arrays.fill(le, (byte) 0);
    return hash;
  }

  private static char[] decode(byte[] utf8) {
    try {
      CharBuffer cb =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8));
      char[] out = new char[cb.remaining()];
      cb.get(out);
      Arrays.fill(cb.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      char[] out = new char[utf8.length];
      for (int i = 0; i < utf8.length; i++) {
        out[i] = (char) (utf8[i] & 0xff);
      }
      return out;
    }
  }
}
