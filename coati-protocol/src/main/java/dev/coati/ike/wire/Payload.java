package dev.coati.ike.wire;

import dev.coati.util.ByteWriter;

/**
 * An ISAKMP payload. Each record encodes only its body; the generic header (next payload, reserved,
 * length; RFC 2408 section 3.2) is written by {@link IsakmpCodec}.
 */
public sealed interface Payload
    permits SaPayload,
        KePayload,
        IdPayload,
        CertPayload,
        CertReqPayload,
        HashPayload,
        SigPayload,
        NoncePayload,
        NotifyPayload,
        DeletePayload,
        VendorIdPayload,
        AttributePayload,
        NatDPayload,
        NatOaPayload,
        FragmentPayload,
        UnknownPayload {

  PayloadType type();

  void encodeBody(ByteWriter out);

  int bodyLength();

  /** The body without the generic header: what RFC 2409 hashes as SAi_b, IDii_b, Ni_b. */
  default byte[] body() {
    ByteWriter w = new ByteWriter(bodyLength());
    encodeBody(w);
    return w.toByteArray();
  }
}
