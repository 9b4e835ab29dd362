package dev.coati.l2tp.wire;

import dev.coati.crypto.HashAlg;
import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.Arrays;

/**
 * Hiding AVP values (RFC 2661 section 4.3). The hidden subformat is the original value length, the
 * value and optional padding:
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Length of Original Value     |   Original Attribute Value ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ...                             |             Padding ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * split into 16-byte chunks p1, p2, ...: c1 = p1 xor MD5(Attribute Type ‖ secret ‖ RV), c(i) = p(i)
 * xor MD5(secret ‖ c(i-1)); a last short chunk uses as many MD5 bytes as it has. RV is the value of
 * the closest preceding Random Vector AVP.
 */
public final class HiddenAvp {
  private static final int BLOCK = 16;

  private HiddenAvp() {}

  /** Hides {@code plain}'s value behind {@code padding} zero bytes of padding. */
  public static Avp hide(Avp plain, byte[] secret, byte[] randomVector, int padding) {
    byte[] value = plain.value();
    ByteWriter w = new ByteWriter(2 + value.length + padding);
    w.u16(value.length).bytes(value).zeros(padding);
    byte[] sub = w.toByteArray();
    xorChain(sub, plain.type(), secret, randomVector, true);
    return new Avp(plain.mandatory(), true, plain.vendorId(), plain.type(), sub);
  }

  /** Reveals a hidden AVP; a not hidden AVP is returned unchanged. */
  public static Avp reveal(Avp hidden, byte[] secret, byte[] randomVector) {
    if (!hidden.hidden()) {
      return hidden;
    }
    byte[] sub = hidden.value();
    xorChain(sub, hidden.type(), secret, randomVector, false);
    if (sub.length < 2) {
      throw L2tpProtocolException.general(ResultCode.LENGTH_WRONG, "hidden AVP too short");
    }
    int length = new ByteReader(sub).u16();
    if (length > sub.length - 2) {
      throw L2tpProtocolException.general(
          ResultCode.LENGTH_WRONG, "hidden length " + length + " (wrong secret?)");
    }
    byte[] value = Arrays.copyOfRange(sub, 2, 2 + length);
    return new Avp(hidden.mandatory(), false, hidden.vendorId(), hidden.type(), value);
  }

  private static void xorChain(byte[] data, int type, byte[] secret, byte[] rv, boolean encrypt) {
    byte[] typeBytes = {(byte) (type >>> 8), (byte) type};
    byte[] b = HashAlg.MD5.digest(typeBytes, secret, rv);
    for (int off = 0; off < data.length; off += BLOCK) {
      int n = Math.min(BLOCK, data.length - off);
      byte[] cipher = new byte[n];
      for (int i = 0; i < n; i++) {
        byte c = (byte) (data[off + i] ^ b[i]);
        cipher[i] = encrypt ? c : data[off + i];
        data[off + i] = c;
      }
      b = HashAlg.MD5.digest(secret, cipher);
    }
  }
}
