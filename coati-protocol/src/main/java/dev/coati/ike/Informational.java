package dev.coati.ike;

import dev.coati.ike.wire.DeletePayload;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.HashPayload;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.NotifyPayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.Payload;
import dev.coati.ike.wire.PayloadType;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.util.ByteWriter;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Informational exchanges (RFC 2409 section 5.7): one-shot messages carrying Notify and Delete
 * payloads, protected by HASH(1) = prf(SKEYID_a, M-ID | N/D) once phase-1 keys exist.
 */
public final class Informational {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");
  private static final System.Logger PACKET = System.getLogger("dev.coati.ike.packet");

  /** IPsec DOI. */
  static final int DOI_IPSEC = 1;

  private Informational() {}

  /**
   * An unprotected INFORMATIONAL with an INVALID-SPI notify for the ESP {@code spi} (RFC 2408
   * 3.14.1; RFC 2407 4.6.3), as sent when ESP arrives for an SA this gateway does not know (after a
   * restart). Without an ISAKMP SA it cannot be authenticated; {@code initiatorCookie} is fresh.
   */
  public static byte[] invalidSpi(long initiatorCookie, int spi) {
    byte[] s = {(byte) (spi >>> 24), (byte) (spi >>> 16), (byte) (spi >>> 8), (byte) spi};
    IsakmpHeader hdr =
        new IsakmpHeader(
            initiatorCookie, 0, PayloadType.NONE, 1, 0, ExchangeType.INFORMATIONAL, 0, 0, 0);
    return IsakmpCodec.assemble(
        hdr,
        List.of(
            new NotifyPayload(
                DOI_IPSEC, ProtocolId.IPSEC_ESP, NotifyType.INVALID_SPI, s, new byte[0])));
  }

  /** Sends an error notify; encrypted and hashed when the SA has keys, else in the clear. */
  static void sendError(IkeSa sa, IkeContext ctx, NotifyType type, boolean protect) {
    if (type == null || !type.isError()) {
      return;
    }
    byte[] spi = cookies(sa);
    send(
        sa,
        List.of(new NotifyPayload(DOI_IPSEC, ProtocolId.ISAKMP, type, spi, new byte[0])),
        protect && sa.hasKeys());
  }

  /** Sends Delete for the ISAKMP SA itself. */
  static void sendDeleteIke(IkeSa sa) {
    send(sa, List.of(deleteIke(sa)), true);
  }

  /** Sends Delete for child SAs (our inbound SPIs, which the peer uses to send to us). */
  static void sendDeleteChildren(IkeSa sa, List<ChildSa> children) {
    if (children.isEmpty()) {
      return;
    }
    send(sa, List.of(deleteChildren(children)), true);
  }

  /**
   * Deletes the ISAKMP SA and its children. The first message holds the ISAKMP Delete and then the
   * children's: vpnc answers a Delete of its ESP SA with a new quick mode (and ignores Deletes
   * while it waits for that), so children first kept it trying for half a minute; strongSwan,
   * Libreswan and coati handle every Delete payload of the message. racoon (ipsec-tools 0.9.1, also
   * macOS, iOS and Android <= 11) checks an informational's HASH over the first payload after it
   * only ({@code isakmp_inf.c} isakmp_info_recv) and so drops that message; the ISAKMP Delete alone
   * follows for it (racoon then purges the peer's IPsec SAs too). The others no longer know the SA
   * by then and ignore the second message.
   */
  static void sendDeleteIkeAndChildren(IkeSa sa, List<ChildSa> children) {
    List<Payload> deletes = new ArrayList<>();
    deletes.add(deleteIke(sa));
    if (children.isEmpty()) {
      send(sa, deletes, true);
      return;
    }
    deletes.add(deleteChildren(children));
    send(sa, deletes, true);
    send(sa, List.of(deleteIke(sa)), true);
  }

  private static DeletePayload deleteIke(IkeSa sa) {
    return new DeletePayload(DOI_IPSEC, ProtocolId.ISAKMP, 16, List.of(cookies(sa)));
  }

  private static DeletePayload deleteChildren(List<ChildSa> children) {
    List<byte[]> spis = new ArrayList<>();
    for (ChildSa c : children) {
      spis.add(new ByteWriter(4).i32(c.inboundSpi()).toByteArray());
    }
    return new DeletePayload(DOI_IPSEC, ProtocolId.IPSEC_ESP, 4, spis);
  }

  /** Sends INITIAL-CONTACT (strongSwan sends it with the first phase-1 authentication). */
  static NotifyPayload initialContact(IkeSa sa) {
    return new NotifyPayload(
        DOI_IPSEC, ProtocolId.ISAKMP, NotifyType.INITIAL_CONTACT, cookies(sa), new byte[0]);
  }

  static byte[] cookies(IkeSa sa) {
    return new ByteWriter(16).i64(sa.initiatorCookie()).i64(sa.responderCookie()).toByteArray();
  }

  /** Sends notifies and deletes in a protected informational exchange. */
  static void sendProtected(IkeSa sa, List<Payload> content) {
    send(sa, content, true);
  }

  private static void send(IkeSa sa, List<Payload> content, boolean protect) {
    ExchangeManager em = sa.exchanges();
    int mid = protect && sa.hasKeys() ? em.newMessageId() : 0;
    OutboundMessage out = new OutboundMessage(ExchangeType.INFORMATIONAL, mid);
    if (protect && sa.hasKeys()) {
      byte[] rest = IsakmpCodec.encodePayloads(content);
      out.add(new HashPayload(Keymat.informationalHash(sa.prf(), sa.skeyidA(), mid, rest)));
      out.encrypted(true);
    }
    out.addAll(content);
    em.sendOneShot(out);
  }

  /**
   * Verifies a protected informational message: its first payload must be HASH(1) over the rest.
   * Unprotected informationals are accepted only before phase-1 keys exist, and only for logging.
   */
  static void verify(IkeSa sa, InboundMessage in) {
    if (!in.encrypted()) {
      if (sa.hasKeys()) {
        throw new IkeProtocolException(
            NotifyType.INVALID_FLAGS, "unencrypted informational after keys exist");
      }
      return;
    }
    if (in.payloads().isEmpty() || !(in.payloads().get(0) instanceof HashPayload h)) {
      throw new IkeProtocolException(NotifyType.INVALID_HASH_INFORMATION, "no HASH payload");
    }
    byte[] rest = in.payloads().size() > 1 ? in.body().bytesFrom(1) : new byte[0];
    byte[] want = Keymat.informationalHash(sa.prf(), sa.skeyidA(), in.header().messageId(), rest);
    if (!MessageDigest.isEqual(want, h.data())) {
      throw new IkeProtocolException(NotifyType.INVALID_HASH_INFORMATION, "HASH mismatch");
    }
  }

  /** A protected informational's notifies: DPD, INITIAL-CONTACT, the rest to the listener. */
  static void notifies(IkeSa sa, IkeContext ctx, InboundMessage in) {
    for (NotifyPayload n : in.all(NotifyPayload.class)) {
      if (sa.dpd().onNotify(sa, n)) {
        continue;
      }
      if (n.notifyType().equals(NotifyType.INITIAL_CONTACT)) {
        ctx.listener().initialContact(sa);
      } else {
        ctx.listener().notifyReceived(sa, n.notifyType().code());
      }
    }
  }

  static void logUnprotected(IkeSa sa, InboundMessage in) {
    for (NotifyPayload n : in.all(NotifyPayload.class)) {
      PACKET.log(Level.INFO, "{0} peer sent unprotected notify {1}", sa.name(), n.notifyType());
    }
  }
}
