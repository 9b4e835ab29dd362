package dev.coati.ike;

import dev.coati.ike.wire.FragmentPayload;
import dev.coati.ike.wire.FragmentReassembler;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.Limits;
import dev.coati.ike.wire.MalformedPacketException;
import dev.coati.ike.wire.PayloadType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * IKEv1 fragmentation in Cisco's format (payload 132, announced by the FRAGMENTATION Vendor ID;
 * racoon's {@code ike_frag}, iOS/macOS, Cisco, Windows): a whole ISAKMP message, encrypted or not,
 * cut into pieces that each follow a plain ISAKMP header with the original cookies, exchange type
 * and message ID. Inbound pieces are reassembled per IKE SA and the whole message is handled as if
 * it had arrived in one datagram; outbound messages longer than {@link IkePolicy#ikeFragmentSize()}
 * are cut when the peer announced support. Retransmissions go through the same path, so they are
 * cut the same way.
 */
final class IkeFragments {
  /** Vendor ID capability flags after the 16-byte hash (Cisco: base and aggressive/main mode). */
  static final byte[] CAPABILITIES = {(byte) 0xc0, 0, 0, 0};

  private static final int OVERHEAD = IsakmpHeader.SIZE + 8;
  private static final int MIN_SIZE = OVERHEAD + 64;

  private final Map<Long, FragmentReassembler> inbound = new HashMap<>();
  private final Map<Long, Integer> nextId = new HashMap<>();
  private final IkePolicy policy;

  IkeFragments(IkePolicy policy) {
    this.policy = policy;
  }

  /**
   * Adds a received fragment of {@code sa}'s peer; the whole message once complete, else null.
   * Throws {@link IkeProtocolException} on a malformed fragment or a fragment inside a fragment.
   */
  byte[] receive(IkeSa sa, IsakmpHeader hdr, byte[] datagram) {
    var body =
        IsakmpCodec.decodePayloads(
            hdr.nextPayload(), datagram, IsakmpHeader.SIZE, hdr.length() - IsakmpHeader.SIZE);
    List<FragmentPayload> pieces =
        body.payloads().stream()
            .filter(FragmentPayload.class::isInstance)
            .map(FragmentPayload.class::cast)
            .toList();
    if (pieces.size() != 1 || body.payloads().size() != 1) {
      throw new MalformedPacketException("a fragment message must carry one FRAG payload");
    }
    byte[] whole =
        inbound
            .computeIfAbsent(sa.initiatorCookie(), k -> new FragmentReassembler())
            .add(pieces.get(0));
    if (whole == null) {
      return null;
    }
    IsakmpHeader inner = IsakmpCodec.peekHeader(whole);
    if (inner.nextPayload().equals(PayloadType.FRAGMENT)
        || inner.initiatorSpi() != hdr.initiatorSpi()) {
      throw new MalformedPacketException("reassembled message is not of this IKE SA");
    }
    return whole;
  }

  /** Forgets the state kept for an IKE SA that is gone. */
  void removed(IkeSa sa) {
    inbound.remove(sa.initiatorCookie());
    nextId.remove(sa.initiatorCookie());
  }

  /** {@code ctx} with its outbox wrapped by {@link #outbox}: what the engine hands its SAs. */
  IkeContext context(IkeContext ctx, LongFunction<IkeSa> lookup) {
    return new IkeContext(
        ctx.clock(),
        ctx.random(),
        ctx.dh(),
        ctx.policy(),
        outbox(ctx.outbox(), lookup),
        ctx.listener(),
        ctx.retransmit());
  }

  /**
   * An outbox that cuts messages of SAs whose peer announced fragmentation when they exceed the
   * configured size; {@code lookup} finds the SA by initiator cookie (null: send as is).
   */
  Outbox outbox(Outbox inner, LongFunction<IkeSa> lookup) {
    return new Outbox() {
      @Override
      public void send(PeerAddress from, PeerAddress to, byte[] datagram) {
        int size = policy.ikeFragmentSize();
        IkeSa sa = datagram.length > size && size > 0 ? lookup.apply(cookie(datagram)) : null;
        if (sa == null || !sa.peerFeatures().contains(PeerFeature.FRAGMENTATION)) {
          inner.send(from, to, datagram);
          return;
        }
        for (byte[] piece : cut(datagram, Math.max(size, MIN_SIZE), fragmentId(sa))) {
          inner.send(from, to, piece);
        }
      }

      @Override
      public void keepalive(PeerAddress from, PeerAddress to) {
        inner.keepalive(from, to);
      }
    };
  }

  private int fragmentId(IkeSa sa) {
    return nextId.merge(sa.initiatorCookie(), 1, (a, b) -> a % 0xffff + 1);
  }

  /** Cuts {@code message} into datagrams of at most {@code size} bytes (numbered from 1). */
  static List<byte[]> cut(byte[] message, int size, int fragmentId) {
    IsakmpHeader hdr = IsakmpCodec.peekHeader(message);
    IsakmpHeader plain = hdr.withFlags(0);
    int chunk = size - OVERHEAD;
    int count = (message.length + chunk - 1) / chunk;
    if (count > Limits.MAX_FRAGMENTS) {
      throw new IllegalArgumentException(
          "message of " + message.length + " bytes: too many pieces");
    }
    ArrayList<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = i * chunk;
      int to = Math.min(message.length, from + chunk);
      byte[] data = Arrays.copyOfRange(message, from, to);
      int flags = i + 1 == count ? FragmentPayload.FLAG_LAST : 0;
      out.add(
          IsakmpCodec.assemble(
              plain, List.of(new FragmentPayload(fragmentId, i + 1, flags, data))));
    }
    return out;
  }

  private static long cookie(byte[] datagram) {
    long c = 0;
    for (int i = 0; i < 8; i++) {
      c = (c << 8) | (datagram[i] & 0xff);
    }
    return c;
  }
}
