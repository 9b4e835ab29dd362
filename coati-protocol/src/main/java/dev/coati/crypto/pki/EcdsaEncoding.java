package dev.coati.crypto.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * Converts ECDSA signatures between the DER {@code Ecdsa-Sig-Value} of X.509 and TLS (RFC 3279
 * §2.2.3) and the fixed-width r‖s that IKE carries (RFC 4754 §7).
 */
public final class EcdsaEncoding {
  private EcdsaEncoding() {}

  /** r‖s, each left-padded to {@code fieldBytes}, from a DER SEQUENCE { r INTEGER, s INTEGER }. */
  public static byte[] derToConcat(byte[] der, int fieldBytes) {
    ASN1Sequence seq;
    try {
      seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | IllegalArgumentException e) {
      throw new PkiException("not a DER ECDSA signature", e);
    }
    if (seq.size() != 2) {
      throw new PkiException("DER ECDSA signature with " + seq.size() + " elements, expected 2");
    }
    byte[] out = new byte[2 * fieldBytes];
    for (int i = 0; i < 2; i++) {
      byte[] v = unsigned(ASN1Integer.getInstance(seq.getObjectAt(i)).getPositiveValue());
      if (v.length > fieldBytes) {
        throw new PkiException("ECDSA value longer than " + fieldBytes + " bytes");
      }
      System.arraycopy(v, 0, out, (i + 1) * fieldBytes - v.length, v.length);
    }
    return out;
  }

  /** The DER SEQUENCE { r INTEGER, s INTEGER } for an r‖s signature. */
  public static byte[] concatToDer(byte[] concat) {
    if (concat.length == 0 || concat.length % 2 != 0) {
      throw new PkiException("r||s signature of odd length " + concat.length);
    }
    int half = concat.length / 2;
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(concat, 0, half));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(concat, half, concat.length));
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)})
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new PkiException("DER encoding failed", e);
    }
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }
}
