package dev.coati.radius;

import dev.coati.crypto.HashAlg;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared-secret cryptography of RADIUS: User-Password hiding (RFC 2865 section 5.2), the
 * Response Authenticator (section 3), the Accounting Request Authenticator (RFC 2866 section 3) and
 * Message-Authenticator (RFC 3579 section 3.2, HMAC-MD5), which coati puts in every request. The
 * Dynamic Authorization packets of RFC 5176 (section 2.3) reuse the accounting rule for their
 * requests and the Response Authenticator rule for their ACK and NAK.
 */
public final class RadiusSigner {
  private static final int AUTH = RadiusPacket.AUTHENTICATOR_LENGTH;

  private RadiusSigner() {}

  /**
   * An Access-Request's bytes: {@code p}'s authenticator is the random Request Authenticator, a
   * plain User-Password is hidden, and a Message-Authenticator is appended.
   */
  public static byte[] accessRequest(RadiusPacket p, byte[] secret) {
    List<RadiusAttribute> attrs = new ArrayList<>();
    for (RadiusAttribute a : p.attributes()) {
      if (a.is(0, Radius.USER_PASSWORD)) {
        attrs.add(
            RadiusAttribute.of(
                Radius.USER_PASSWORD, hidePassword(a.value(), secret, p.authenticator())));
      } else if (!a.is(0, Radius.MESSAGE_AUTHENTICATOR)) {
        attrs.add(a);
      }
    }
    attrs.add(RadiusAttribute.of(Radius.MESSAGE_AUTHENTICATOR, new byte[AUTH]));
    byte[] b = RadiusCodec.encode(p.with(attrs));
    System.arraycopy(hmacMd5(secret, b), 0, b, b.length - AUTH, AUTH);
    return b;
  }

  /**
   * An Accounting-Request's bytes: the Message-Authenticator over the packet with a zero
   * authenticator, then Request Authenticator = MD5(packet with zero authenticator + secret). The
   * same rule signs a Disconnect-Request or CoA-Request (RFC 5176 sections 2.3 and 3), as a Dynamic
   * Authorization Client would.
   */
  public static byte[] accountingRequest(RadiusPacket p, byte[] secret) {
    List<RadiusAttribute> attrs = new ArrayList<>();
    for (RadiusAttribute a : p.attributes()) {
      if (!a.is(0, Radius.MESSAGE_AUTHENTICATOR)) {
        attrs.add(a);
      }
    }
    attrs.add(RadiusAttribute.of(Radius.MESSAGE_AUTHENTICATOR, new byte[AUTH]));
    byte[] b =
        RadiusCodec.encode(new RadiusPacket(p.code(), p.identifier(), new byte[AUTH], attrs));
    System.arraycopy(hmacMd5(secret, b), 0, b, b.length - AUTH, AUTH);
    System.arraycopy(md5(b, secret), 0, b, 4, AUTH);
    return b;
  }

  /**
   * A server's answer (for tests and a server role): Message-Authenticator over the packet with the
   * request's authenticator, then Response Authenticator = MD5(Code+ID+Length+RequestAuth+
   * Attributes+Secret). This is also the rule for Disconnect-ACK/NAK and CoA-ACK/NAK (RFC 5176
   * section 2.3; the Message-Authenticator as for an Access-Accept, section 3 and RFC 3579).
   */
  public static byte[] response(RadiusPacket p, byte[] requestAuthenticator, byte[] secret) {
    List<RadiusAttribute> attrs = new ArrayList<>(p.attributes());
    attrs.add(RadiusAttribute.of(Radius.MESSAGE_AUTHENTICATOR, new byte[AUTH]));
    byte[] b =
        RadiusCodec.encode(new RadiusPacket(p.code(), p.identifier(), requestAuthenticator, attrs));
    System.arraycopy(hmacMd5(secret, b), 0, b, b.length - AUTH, AUTH);
    System.arraycopy(md5(b, secret), 0, b, 4, AUTH);
    return b;
  }

  /**
   * Decodes and verifies the answer to {@code request} (the bytes we sent): same identifier, a code
   * that answers the request's, the Response Authenticator, and the Message-Authenticator when
   * present (required if {@code requireMessageAuthenticator}, the BlastRADIUS defence).
   */
  public static RadiusPacket verifyResponse(
      byte[] data, byte[] request, byte[] secret, boolean requireMessageAuthenticator)
      throws RadiusException {
    RadiusPacket p = RadiusCodec.decode(data);
    int length = ((data[2] & 0xff) << 8) | (data[3] & 0xff);
    byte[] b = Arrays.copyOf(data, length);
    if (p.identifier() != (request[1] & 0xff)) {
      throw new RadiusException("identifier " + p.identifier() + " answers another request");
    }
    boolean fits =
        switch (request[0] & 0xff) {
          case Radius.ACCOUNTING_REQUEST -> p.code() == Radius.ACCOUNTING_RESPONSE;
          case Radius.DISCONNECT_REQUEST ->
              p.code() == Radius.DISCONNECT_ACK || p.code() == Radius.DISCONNECT_NAK;
          case Radius.COA_REQUEST -> p.code() == Radius.COA_ACK || p.code() == Radius.COA_NAK;
          default ->
              p.code() == Radius.ACCESS_ACCEPT
                  || p.code() == Radius.ACCESS_REJECT
                  || p.code() == Radius.ACCESS_CHALLENGE;
        };
    if (!fits) {
      throw new RadiusException(Radius.codeName(p.code()) + " does not answer the request");
    }
    System.arraycopy(request, 4, b, 4, AUTH);
    if (!MessageDigest.isEqual(md5(b, secret), p.authenticator())) {
      throw new RadiusException("wrong Response Authenticator (is the shared secret right?)");
    }
    if (!checkMessageAuthenticator(b, secret, "response") && requireMessageAuthenticator) {
      throw new RadiusException("no Message-Authenticator in the response");
    }
    return p;
  }

  /**
   * Decodes and verifies a Disconnect-Request or CoA-Request (RFC 5176 section 2.3): Request
   * Authenticator = MD5(Code+Identifier+Length+16 zero octets+Attributes+Secret), as for
   * accounting; a Message-Authenticator, when present, over the packet with a zero authenticator
   * (section 3, RFC 3579 section 3.2). Any other code, or either check failing, throws.
   */
  public static RadiusPacket verifyDynamicRequest(byte[] data, byte[] secret)
      throws RadiusException {
    RadiusPacket p = RadiusCodec.decode(data);
    if (p.code() != Radius.DISCONNECT_REQUEST && p.code() != Radius.COA_REQUEST) {
      throw new RadiusException(
          Radius.codeName(p.code()) + " is not a Dynamic Authorization request");
    }
    int length = ((data[2] & 0xff) << 8) | (data[3] & 0xff);
    byte[] b = Arrays.copyOf(data, length);
    Arrays.fill(b, 4, 4 + AUTH, (byte) 0);
    if (!MessageDigest.isEqual(md5(b, secret), p.authenticator())) {
      throw new RadiusException("wrong Request Authenticator (is the shared secret right?)");
    }
    checkMessageAuthenticator(b, secret, "request");
    return p;
  }

  /**
   * Checks the Message-Authenticator of {@code b} (its authenticator field already as the HMAC
   * covers it); false when there is none. Zeroes the attribute's value in {@code b}.
   */
  private static boolean checkMessageAuthenticator(byte[] b, byte[] secret, String what)
      throws RadiusException {
    int ma = messageAuthenticatorOffset(b);
    if (ma < 0) {
      return false;
    }
    byte[] got = Arrays.copyOfRange(b, ma, ma + AUTH);
    Arrays.fill(b, ma, ma + AUTH, (byte) 0);
    if (!MessageDigest.isEqual(hmacMd5(secret, b), got)) {
      throw new RadiusException("wrong Message-Authenticator in the " + what);
    }
    return true;
  }

  /** Where the value of a well-formed 18-byte Message-Authenticator starts, or -1. */
  private static int messageAuthenticatorOffset(byte[] b) throws RadiusException {
    for (int i = RadiusCodec.HEADER_LENGTH; i + 1 < b.length; i += b[i + 1] & 0xff) {
      if ((b[i] & 0xff) == Radius.MESSAGE_AUTHENTICATOR) {
        if ((b[i + 1] & 0xff) != AUTH + 2) {
          throw new RadiusException("Message-Authenticator is not 16 bytes");
        }
        return i + 2;
      }
    }
    return -1;
  }

  /** RFC 2865 section 5.2: pad to 16n bytes, XOR with MD5(secret + previous block). */
  public static byte[] hidePassword(byte[] password, byte[] secret, byte[] authenticator) {
    int n = Math.max(1, (password.length + 15) / 16) * 16;
    if (n > 128) {
      throw new IllegalArgumentException("a RADIUS User-Password is at most 128 bytes");
    }
    byte[] out = Arrays.copyOf(password, n);
    byte[] prev = authenticator;
    for (int i = 0; i < n; i += 16) {
      byte[] x = md5(secret, prev);
      for (int j = 0; j < 16; j++) {
        out[i + j] ^= x[j];
      }
      prev = Arrays.copyOfRange(out, i, i + 16);
    }
    return out;
  }

  /** The inverse of {@link #hidePassword}, with the NUL padding removed. */
  public static byte[] unhidePassword(byte[] hidden, byte[] secret, byte[] authenticator)
      throws RadiusException {
    if (hidden.length == 0 || hidden.length % 16 != 0 || hidden.length > 128) {
      throw new RadiusException("a hidden User-Password is 16 to 128 bytes, in blocks of 16");
    }
    byte[] out = new byte[hidden.length];
    byte[] prev = authenticator;
    for (int i = 0; i < hidden.length; i += 16) {
      byte[] x = md5(secret, prev);
      for (int j = 0; j < 16; j++) {
        out[i + j] = (byte) (hidden[i + j] ^ x[j]);
      }
      prev = Arrays.copyOfRange(hidden, i, i + 16);
    }
    int len = out.length;
    while (len > 0 && out[len - 1] == 0) {
      len--;
    }
    return Arrays.copyOf(out, len);
  }

  static byte[] md5(byte[] a, byte[] b) {
    return HashAlg.MD5.digest(a, b);
  }

  static byte[] hmacMd5(byte[] key, byte[] data) {
    return HashAlg.MD5.hmac(key, data);
  }
}
