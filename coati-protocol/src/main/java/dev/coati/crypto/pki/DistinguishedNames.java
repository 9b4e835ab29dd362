package dev.coati.crypto.pki;

import java.io.IOException;
import java.text.Normalizer;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Distinguished names compared by meaning (RFC 5280 §7.1, RFC 4517 §4.2.15 distinguishedNameMatch):
 * two DNs match when they have the same number of RDNs and the RDNs match in order; an RDN matches
 * when its attributes match as a set (order inside a multi-valued RDN is free); an attribute
 * matches when the type is the same and the values are equal after the LDAP StringPrep profile's
 * essentials (RFC 4518): Unicode NFKC, case folded, leading, trailing and repeated inner spaces
 * insignificant. String values match whatever their ASN.1 string type (PrintableString against
 * UTF8String); other values compare as DER.
 */
public final class DistinguishedNames {
  private DistinguishedNames() {}

  /** Parses a DER DN (an IKE ID_DER_ASN1_DN body, RFC 2407 §4.6.2.1); empty if malformed. */
  public static Optional<X500Name> parse(byte[] der) {
    try {
      // fromByteArray refuses trailing bytes; getInstance refuses a non-DN structure
      return Optional.of(X500Name.getInstance(ASN1Primitive.fromByteArray(der)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The DER of a DN written as RFC 4514 text, e.g. {@code "C=XX, O=Test, CN=alice"}. */
  public static byte[] fromText(String text) {
    try {
      return new X500Name(BCStyle.INSTANCE, text).getEncoded(ASN1Encoding.DER);
    } catch (IOException | IllegalArgumentException e) {
      throw new PkiException("not a distinguished name: " + text, e);
    }
  }

  /** True when the two DNs match by meaning (see the class comment). */
  public static boolean equivalent(X500Name a, X500Name b) {
    RDN[] ra = a.getRDNs();
    RDN[] rb = b.getRDNs();
    if (ra.length != rb.length) {
      return false;
    }
    for (int i = 0; i < ra.length; i++) {
      if (!rdnMatch(ra[i], rb[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean rdnMatch(RDN a, RDN b) {
    AttributeTypeAndValue[] va = a.getTypesAndValues();
    List<AttributeTypeAndValue> vb = new ArrayList<>(List.of(b.getTypesAndValues()));
    if (va.length != vb.size()) {
      return false;
    }
    for (AttributeTypeAndValue x : va) {
      int j = 0;
      while (j < vb.size() && !atvMatch(x, vb.get(j))) {
        j++;
      }
      if (j == vb.size()) {
        return false;
      }
      vb.remove(j);
    }
    return true;
  }

  private static boolean atvMatch(AttributeTypeAndValue a, AttributeTypeAndValue b) {
    if (!a.getType().equals(b.getType())) {
      return false;
    }
    ASN1Encodable x = a.getValue();
    ASN1Encodable y = b.getValue();
    if (x instanceof ASN1String sx
        && y instanceof ASN1String sy
        && !(x instanceof DERBitString)
        && !(y instanceof DERBitString)) {
      return prepare(sx.getString()).equals(prepare(sy.getString()));
    }
    return x.toASN1Primitive().equals(y.toASN1Primitive());
  }

  /** RFC 4518 §2: map (NFKC, case fold) and insignificant space handling. */
  static String prepare(String value) {
    // upper then lower approximates Unicode full case folding (ß -> SS -> ss)
    String s = Normalizer.normalize(value, Normalizer.Form.NFKC);
    s = Normalizer.normalize(s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Form.NFKC);
    return s.strip().replaceAll("\\s+", " ");
  }
}
