package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import dev.coati.util.TruncatedInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes ISAKMP messages: the header, the payload chain with its generic headers (RFC
 * 2408 section 3.2), and the hard caps of {@link Limits}. Decoders throw only {@link
 * IkeProtocolException}.
 */
public final class IsakmpCodec {
  private IsakmpCodec() {}

  /** The payloads of a message body and where each one sat in the bytes that were parsed. */
  public record DecodedBody(List<Payload> payloads, byte[] raw, int[] starts, int end) {
    /** Bytes from payload {@code index}'s generic header to the end of the last payload. */
    public byte[] bytesFrom(int index) {
      return Arrays.copyOfRange(raw, starts[index], end);
    }
  }

  /** Decodes the header and checks its length field against the datagram. */
  public static IsakmpHeader peekHeader(byte[] datagram) {
    if (datagram.length > Limits.MAX_MESSAGE_SIZE) {
      throw new MalformedPacketException("datagram of " + datagram.length + " bytes");
    }
    IsakmpHeader h = IsakmpHeader.decode(new ByteReader(datagram));
    if (h.length() > datagram.length) {
      throw new MalformedPacketException(
          "ISAKMP length " + h.length() + " beyond datagram of " + datagram.length);
    }
    return h;
  }

  /**
   * Walks the payload chain in {@code buf[offset, offset+length)} starting with {@code first},
   * until a payload says NONE comes next; bytes after that (CBC padding) are ignored.
   */
  public static DecodedBody decodePayloads(PayloadType first, byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new MalformedPacketException("body outside buffer");
    }
    byte[] raw = Arrays.copyOfRange(buf, offset, offset + length);
    ByteReader in = new ByteReader(raw);
    List<Payload> payloads = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    PayloadType next = first;
    try {
      while (!next.equals(PayloadType.NONE)) {
        if (payloads.size() >= Limits.MAX_PAYLOADS) {
          throw new MalformedPacketException("more than " + Limits.MAX_PAYLOADS + " payloads");
        }
        starts.add(in.position());
        PayloadType type = next;
        next = PayloadType.valueOf(in.u8());
        in.skip(1);
        int len = in.u16();
        if (len < 4 || len - 4 > in.remaining()) {
          throw new MalformedPacketException(
              NotifyType.UNEQUAL_PAYLOAD_LENGTHS, type + " payload length " + len);
        }
        payloads.add(decodeOne(type, in.slice(len - 4)));
      }
    } catch (TruncatedInputException e) {
      throw new MalformedPacketException("truncated payload: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new MalformedPacketException("invalid payload: " + e.getMessage());
    }
    int[] s = starts.stream().mapToInt(Integer::intValue).toArray();
    return new DecodedBody(List.copyOf(payloads), raw, s, in.position());
  }

  private static Payload decodeOne(PayloadType type, ByteReader body) {
    return switch (type.code()) {
      case 1 -> SaPayload.decodeBody(body);
      case 4 -> KePayload.decodeBody(body);
      case 5 -> IdPayload.decodeBody(body);
      case 6 -> CertPayload.decodeBody(body);
      case 7 -> CertReqPayload.decodeBody(body);
      case 8 -> HashPayload.decodeBody(body);
      case 9 -> SigPayload.decodeBody(body);
      case 10 -> NoncePayload.decodeBody(body);
      case 11 -> NotifyPayload.decodeBody(body);
      case 12 -> DeletePayload.decodeBody(body);
      case 13 -> VendorIdPayload.decodeBody(body);
      case 14 -> AttributePayload.decodeBody(body);
      case 20, 130 -> NatDPayload.decodeBody(type, body);
      case 21, 131 -> NatOaPayload.decodeBody(type, body);
      case 132 -> FragmentPayload.decodeBody(body);
      case 2, 3 ->
          throw new MalformedPacketException(
              NotifyType.INVALID_PAYLOAD_TYPE, type + " outside an SA payload");
      default -> new UnknownPayload(type, body.rest());
    };
  }

  /** The payload chain with generic headers; the last payload's next field is NONE. */
  public static byte[] encodePayloads(List<? extends Payload> payloads) {
    ByteWriter w = new ByteWriter(512);
    for (int i = 0; i < payloads.size(); i++) {
      Payload p = payloads.get(i);
      int len = 4 + p.bodyLength();
      if (len > 0xffff) {
        throw new IllegalArgumentException(p.type() + " payload too long");
      }
      w.u8(i + 1 < payloads.size() ? payloads.get(i + 1).type().code() : 0).u8(0).u16(len);
      p.encodeBody(w);
    }
    return w.toByteArray();
  }

  /** A plaintext message: header (length and next payload filled in) and payloads. */
  public static byte[] assemble(IsakmpHeader header, List<? extends Payload> payloads) {
    PayloadType first = payloads.isEmpty() ? PayloadType.NONE : payloads.get(0).type();
    return assembleRaw(header, first, encodePayloads(payloads));
  }

  /** Header plus an already encoded (possibly encrypted) body. */
  public static byte[] assembleRaw(IsakmpHeader header, PayloadType first, byte[] body) {
    int len = IsakmpHeader.SIZE + body.length;
    ByteWriter w = new ByteWriter(len);
    header.withNextPayload(first).withLength(len).encode(w);
    w.bytes(body);
    return w.toByteArray();
  }
}
