package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * Certificate payload (RFC 2408 section 3.9): encoding (4 = X.509 signature) and data.
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ! Cert Encoding !                                               !
 * +-+-+-+-+-+-+-+-+        Certificate Data                       ~
 * </pre>
 */
public record CertPayload(int encoding, byte[] data) implements Payload {
  public static final int X509_SIGNATURE = 4;

  public CertPayload {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public static CertPayload decodeBody(ByteReader body) {
    return new CertPayload(body.u8(), body.rest());
  }

  @Override
  public PayloadType type() {
    return PayloadType.CERT;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.u8(encoding).bytes(data);
  }

  @Override
  public int bodyLength() {
    return 1 + data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertPayload p && p.encoding == encoding && OpaquePayloads.eq(p.data, data);
  }

  @Override
  public int hashCode() {
    return encoding * 31 + OpaquePayloads.hash(data);
  }
}
