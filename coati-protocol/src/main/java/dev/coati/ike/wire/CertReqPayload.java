package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * Certificate Request payload (RFC 2408 section 3.10): encoding and certificate authority.
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ! Cert Encoding !                                               !
 * +-+-+-+-+-+-+-+-+        Certificate Authority                      ~
 * </pre>
 */
public record CertReqPayload(int encoding, byte[] authority) implements Payload {
  public static final int X509_SIGNATURE = 4;

  public CertReqPayload {
    authority = authority.clone();
  }

  @Override
  public byte[] authority() {
    return authority.clone();
  }

  public static CertReqPayload decodeBody(ByteReader body) {
    return new CertReqPayload(body.u8(), body.rest());
  }

  @Override
  public PayloadType type() {
    return PayloadType.CERTREQ;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.u8(encoding).bytes(authority);
  }

  @Override
  public int bodyLength() {
    return 1 + authority.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertReqPayload p
        && p.encoding == encoding
        && OpaquePayloads.eq(p.authority, authority);
  }

  @Override
  public int hashCode() {
    return encoding * 31 + OpaquePayloads.hash(authority);
  }
}
