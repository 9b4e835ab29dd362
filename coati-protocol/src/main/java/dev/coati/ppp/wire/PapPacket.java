package dev.coati.ppp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import dev.coati.util.TruncatedInputException;
import java.util.Arrays;

/**
 * A PAP packet (RFC 1334 section 2.2), same header as {@link ControlPacket}.
 *
 * <pre>
 * Authenticate-Request (1):  | Peer-ID Length | Peer-Id ... | Passwd-Length | Password ... |
 * Authenticate-Ack (2)/Nak (3): | Msg-Length | Message ... |
 * </pre>
 *
 * For Ack/Nak {@code peerId} and {@code password} are empty; for a request {@code message} is.
 */
public record PapPacket(int code, int identifier, byte[] peerId, byte[] password, byte[] message) {
  public static final int AUTHENTICATE_REQUEST = 1;
  public static final int AUTHENTICATE_ACK = 2;
  public static final int AUTHENTICATE_NAK = 3;

  public PapPacket {
    if (peerId.length > 255 || password.length > 255 || message.length > 255) {
      throw new IllegalArgumentException("PAP field longer than 255");
    }
    peerId = peerId.clone();
    password = password.clone();
    message = message.clone();
  }

  public static PapPacket request(int id, byte[] peerId, byte[] password) {
    return new PapPacket(AUTHENTICATE_REQUEST, id, peerId, password, new byte[0]);
  }

  public static PapPacket reply(boolean ack, int id, byte[] message) {
    return new PapPacket(
        ack ? AUTHENTICATE_ACK : AUTHENTICATE_NAK, id, new byte[0], new byte[0], message);
  }

  public static PapPacket decode(ByteReader in) {
    ControlPacket p = ControlPacket.decode(in);
    ByteReader r = new ByteReader(p.data());
    try {
      return switch (p.code()) {
        case AUTHENTICATE_REQUEST -> {
          byte[] peer = r.bytes(r.u8());
          byte[] pass = r.bytes(r.u8());
          yield new PapPacket(p.code(), p.identifier(), peer, pass, new byte[0]);
        }
        case AUTHENTICATE_ACK, AUTHENTICATE_NAK ->
            new PapPacket(
                p.code(),
                p.identifier(),
                new byte[0],
                new byte[0],
                r.hasRemaining() ? r.bytes(r.u8()) : new byte[0]);
        default -> throw new PppProtocolException("unknown PAP code " + p.code());
      };
    } catch (TruncatedInputException e) {
      throw new PppProtocolException("truncated PAP packet: " + e.getMessage());
    }
  }

  public static PapPacket decode(byte[] b) {
    return decode(new ByteReader(b));
  }

  public ControlPacket toControlPacket() {
    ByteWriter w = new ByteWriter();
    if (code == AUTHENTICATE_REQUEST) {
      w.u8(peerId.length).bytes(peerId).u8(password.length).bytes(password);
    } else {
      w.u8(message.length).bytes(message);
    }
    return new ControlPacket(code, identifier, w.toByteArray());
  }

  public byte[] encode() {
    return toControlPacket().encode();
  }

  @Override
  public byte[] peerId() {
    return peerId.clone();
  }

  @Override
  public byte[] password() {
    return password.clone();
  }

  @Override
  public byte[] message() {
    return message.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PapPacket p
        && p.code == code
        && p.identifier == identifier
        && Arrays.equals(p.peerId, peerId)
        && Arrays.equals(p.password, password)
        && Arrays.equals(p.message, message);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {code, identifier}) ^ Arrays.hashCode(peerId);
  }

  @Override
  public String toString() {
    return "PapPacket[code=" + code + ", id=" + identifier + "]";
  }
}
