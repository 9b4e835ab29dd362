package dev.coati.ike.wire;

import dev.coati.util.Hex;
import java.util.List;

/** One valid instance of every payload type, for round-trip and mutation tests. */
final class Samples {
  private Samples() {}

  static SaPayload sa() {
    // attributes in an unusual order, a TLV lifetime, and an attribute class nobody defines
    Transform t1 =
        new Transform(
            1,
            1,
            List.of(
                Attribute.ofLong(IkeAttr.LIFE_DURATION, 86400),
                Attribute.tv(IkeAttr.LIFE_TYPE, IkeAttr.LIFE_SECONDS),
                Attribute.tv(IkeAttr.GROUP_DESCRIPTION, 14),
                Attribute.tv(IkeAttr.AUTH_METHOD, IkeAttr.PSK),
                Attribute.tv(IkeAttr.HASH_ALGORITHM, 4),
                Attribute.tv(IkeAttr.KEY_LENGTH, 256),
                Attribute.tv(IkeAttr.ENCRYPTION_ALGORITHM, 7),
                Attribute.tlv(16000, Hex.decode("deadbeef00"))));
    Transform t2 =
        new Transform(
            2,
            1,
            List.of(
                Attribute.tv(IkeAttr.ENCRYPTION_ALGORITHM, 5),
                Attribute.tv(IkeAttr.HASH_ALGORITHM, 2),
                Attribute.tv(IkeAttr.AUTH_METHOD, IkeAttr.XAUTH_INIT_PSK),
                Attribute.tv(IkeAttr.GROUP_DESCRIPTION, 2)));
    Proposal p1 = new Proposal(1, ProtocolId.ISAKMP, new byte[0], List.of(t1, t2));
    Proposal p2 =
        new Proposal(
            2,
            ProtocolId.IPSEC_ESP,
            Hex.decode("c0ffee01"),
            List.of(
                new Transform(
                    1,
                    IpsecAttr.ESP_AES_GCM_16,
                    List.of(
                        Attribute.tv(IpsecAttr.ENCAPSULATION_MODE, IpsecAttr.UDP_TUNNEL_DRAFT),
                        Attribute.tv(IpsecAttr.KEY_LENGTH, 128)))));
    return new SaPayload(1, 1, List.of(p1, p2));
  }

  static List<Payload> all() {
    return List.of(
        sa(),
        new KePayload(Hex.decode("0102030405060708090a0b0c0d0e0f10")),
        IdPayload.fqdn("vpn.example.com"),
        new IdPayload(IdType.IPV4_ADDR_SUBNET, 17, 1701, Hex.decode("0a000000ffffff00")),
        IdPayload.ipv4Range(Hex.decode("0a000001"), Hex.decode("0a0000fe")),
        new IdPayload(IdType.DER_ASN1_DN, 0, 0, Hex.decode("3011310f300d06035504030c06636f617469")),
        IdPayload.keyId("vpngroup".getBytes()),
        new IdPayload(IdType.IPV6_ADDR, 0, 0, new byte[16]),
        new CertPayload(CertPayload.X509_SIGNATURE, Hex.decode("3082000a")),
        new CertReqPayload(4, new byte[0]),
        new HashPayload(Hex.decode("00112233445566778899aabbccddeeff00112233")),
        new SigPayload(Hex.decode("5151")),
        new NoncePayload(Hex.decode("a1a2a3a4a5a6a7a8a9aaabacadaeafb0")),
        new NotifyPayload(
            1, ProtocolId.ISAKMP, NotifyType.INITIAL_CONTACT, new byte[16], new byte[0]),
        new NotifyPayload(
            1,
            ProtocolId.IPSEC_ESP,
            NotifyType.RESPONDER_LIFETIME,
            Hex.decode("01020304"),
            Hex.decode("800100010002000400000e10")),
        new DeletePayload(
            1, ProtocolId.IPSEC_ESP, 4, List.of(Hex.decode("01020304"), Hex.decode("0a0b0c0d"))),
        new DeletePayload(1, ProtocolId.ISAKMP, 16, List.of(new byte[16])),
        new VendorIdPayload(Hex.decode("afcad71368a1f1c96b8696fc77570100")),
        new AttributePayload(
            AttributePayload.CFG_REQUEST,
            0x1234,
            List.of(
                Attribute.tlv(1, new byte[0]),
                Attribute.tv(16520, 0),
                Attribute.tlv(16521, "alice".getBytes()))),
        new NatDPayload(PayloadType.NAT_D, Hex.decode("00112233445566778899aabbccddeeff00112233")),
        new NatDPayload(PayloadType.NAT_D_DRAFT, Hex.decode("0011223344556677")),
        new NatOaPayload(PayloadType.NAT_OA, IdType.IPV4_ADDR, Hex.decode("c0a80105")),
        new NatOaPayload(PayloadType.NAT_OA_DRAFT, IdType.IPV4_ADDR, Hex.decode("c0a80106")),
        new FragmentPayload(7, 2, FragmentPayload.FLAG_LAST, Hex.decode("cafe")),
        new UnknownPayload(PayloadType.valueOf(200), Hex.decode("0102")));
  }

  static IsakmpHeader header(ExchangeType et, int mid) {
    return new IsakmpHeader(
        0x0102030405060708L, 0x1112131415161718L, PayloadType.NONE, 1, 0, et, 0, mid, 0);
  }

  /** A main-mode-shaped plaintext message carrying every payload type. */
  static byte[] message() {
    return IsakmpCodec.assemble(header(ExchangeType.IDENTITY_PROTECTION, 0), all());
  }
}
