package dev.coati.ppp.wire;

import java.util.Arrays;
import java.util.Optional;

/**
 * The authentication protocols we offer in LCP's Authentication-Protocol option (RFC 1661 section
 * 6.2): PAP (RFC 1334, 0xc023), CHAP with MD5 (RFC 1994, algorithm 5) and MS-CHAPv2 (RFC 2759,
 * algorithm 0x81). A closed set we own, hence an enum.
 */
public enum AuthProtocol {
  MSCHAPV2(PppProtocol.CHAP, 0x81),
  CHAP_MD5(PppProtocol.CHAP, 5),
  PAP(PppProtocol.PAP, -1);

  private final PppProtocol protocol;
  private final int algorithm;

  AuthProtocol(PppProtocol protocol, int algorithm) {
    this.protocol = protocol;
    this.algorithm = algorithm;
  }

  public PppProtocol protocol() {
    return protocol;
  }

  /** The option: protocol (2 octets) then, for CHAP, the algorithm octet. */
  public PppOption option() {
    int p = protocol.number();
    byte[] data =
        algorithm < 0
            ? new byte[] {(byte) (p >> 8), (byte) p}
            : new byte[] {(byte) (p >> 8), (byte) p, (byte) algorithm};
    return new PppOption(LcpOptions.AUTH_PROTOCOL, data);
  }

  /** The protocol an Authentication-Protocol option names, if it is one we know. */
  public static Optional<AuthProtocol> of(PppOption o) {
    if (o.type() != LcpOptions.AUTH_PROTOCOL) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(a -> a.option().equals(o)).findFirst();
  }
}
