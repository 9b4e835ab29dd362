package dev.coati.l2tp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A control message (RFC 2661 section 3.1 with T, L and S set): header then AVPs, the Message Type
 * AVP first. No AVPs at all is a ZLB acknowledgement (section 5.8).
 *
 * <p>{@link #decode} checks the structure: Message Type first and not hidden, AVP caps, value
 * lengths of known AVPs, hidden AVPs preceded by a Random Vector, unknown AVPs with M set, and the
 * AVPs each message type requires ({@link MessageRules}). Hidden values stay hidden until {@link
 * #reveal}.
 */
public record ControlMessage(int tunnelId, int sessionId, int ns, int nr, List<Avp> avps) {
  public ControlMessage {
    avps = List.copyOf(avps);
    tunnelId &= 0xffff;
    sessionId &= 0xffff;
    ns &= 0xffff;
    nr &= 0xffff;
  }

  /** A message of {@code type} with {@code body} after the Message Type AVP; Ns/Nr left 0. */
  public static ControlMessage of(int tunnelId, int sessionId, MessageType type, List<Avp> body) {
    List<Avp> all = new ArrayList<>(body.size() + 1);
    all.add(Avps.messageType(type));
    all.addAll(body);
    return new ControlMessage(tunnelId, sessionId, 0, 0, all);
  }

  public static ControlMessage zlb(int tunnelId, int ns, int nr) {
    return new ControlMessage(tunnelId, 0, ns, nr, List.of());
  }

  public static ControlMessage decode(byte[] datagram) {
    ByteReader r = new ByteReader(datagram);
    L2tpHeader h = L2tpHeader.decode(r);
    if (!h.control()) {
      throw L2tpProtocolException.discard("data message where control expected");
    }
    ByteReader body = r.slice(h.length() - (datagram.length - r.remaining()));
    List<Avp> avps = new ArrayList<>();
    while (body.hasRemaining()) {
      if (avps.size() == Limits.MAX_AVPS) {
        throw L2tpProtocolException.general(ResultCode.INSUFFICIENT_RESOURCES, "too many AVPs");
      }
      Avp a = Avp.decode(body);
      if (a != null) {
        avps.add(a);
      }
    }
    ControlMessage m = new ControlMessage(h.tunnelId(), h.sessionId(), h.ns(), h.nr(), avps);
    m.validate();
    return m;
  }

  private void validate() {
    if (avps.isEmpty()) {
      return;
    }
    Avp first = avps.get(0);
    if (!first.isIetf(AvpType.MESSAGE_TYPE) || first.hidden()) {
      throw L2tpProtocolException.general(
          ResultCode.FIELD_OUT_OF_RANGE, "first AVP is not a plain Message Type");
    }
    first.avpType().checkValueLength(first.value().length);
    MessageType type = MessageType.valueOf(first.u16());
    if (!type.isKnown() && first.mandatory()) {
      throw L2tpProtocolException.general(
          ResultCode.UNKNOWN_MANDATORY_AVP, "unknown mandatory message type " + type.code());
    }
    boolean randomVectorSeen = false;
    for (Avp a : avps) {
      boolean known = a.vendorId() == Avp.IETF && a.avpType().isKnown();
      if (!known && a.mandatory()) {
        throw L2tpProtocolException.general(
            ResultCode.UNKNOWN_MANDATORY_AVP, "unknown mandatory AVP " + a);
      }
      if (a.hidden() && !randomVectorSeen) {
        throw L2tpProtocolException.general(
            ResultCode.FIELD_OUT_OF_RANGE, "hidden " + a + " without a Random Vector before it");
      }
      if (known && a.hidden() && a.isIetf(AvpType.RANDOM_VECTOR)) {
        throw L2tpProtocolException.general(ResultCode.FIELD_OUT_OF_RANGE, "hidden Random Vector");
      }
      if (known && !a.hidden()) {
        a.avpType().checkValueLength(a.value().length);
      }
      randomVectorSeen |= a.isIetf(AvpType.RANDOM_VECTOR);
    }
    MessageRules.check(type, avps);
  }

  /** The same message with every hidden AVP revealed using {@code secret}, lengths checked. */
  public ControlMessage reveal(byte[] secret) {
    List<Avp> out = new ArrayList<>(avps.size());
    byte[] rv = null;
    for (Avp a : avps) {
      Avp plain = a.hidden() ? HiddenAvp.reveal(a, secret, rv) : a;
      if (plain.vendorId() == Avp.IETF) {
        plain.avpType().checkValueLength(plain.value().length);
      }
      if (a.isIetf(AvpType.RANDOM_VECTOR)) {
        rv = a.value();
      }
      out.add(plain);
    }
    return new ControlMessage(tunnelId, sessionId, ns, nr, out);
  }

  /**
   * The same message with every AVP that may be hidden ({@link AvpType#mayBeHidden}) hidden with
   * {@code secret} (section 4.3), padded to whole 16-byte blocks, behind one Random Vector AVP of
   * {@code randomVector} right after the Message Type. Unchanged when nothing may be hidden.
   */
  public ControlMessage hide(byte[] secret, byte[] randomVector) {
    if (avps.stream().noneMatch(ControlMessage::hideable)) {
      return this;
    }
    List<Avp> out = new ArrayList<>(avps.size() + 1);
    out.add(avps.get(0));
    out.add(Avps.randomVector(randomVector));
    for (Avp a : avps.subList(1, avps.size())) {
      int padding = (16 - (2 + a.value().length) % 16) % 16;
      out.add(hideable(a) ? HiddenAvp.hide(a, secret, randomVector, padding) : a);
    }
    return new ControlMessage(tunnelId, sessionId, ns, nr, out);
  }

  private static boolean hideable(Avp a) {
    return !a.hidden()
        && a.vendorId() == Avp.IETF
        && !a.isIetf(AvpType.MESSAGE_TYPE)
        && a.avpType().mayBeHidden();
  }

  /** True when some AVP is hidden (so {@link #reveal} is needed before reading it). */
  public boolean hasHidden() {
    return avps.stream().anyMatch(Avp::hidden);
  }

  public int encodedLength() {
    int n = L2tpHeader.CONTROL_LENGTH;
    for (Avp a : avps) {
      n += a.encodedLength();
    }
    return n;
  }

  public byte[] encode() {
    int length = encodedLength();
    ByteWriter w = new ByteWriter(length);
    L2tpHeader.control(length, tunnelId, sessionId, ns, nr).encode(w, length);
    for (Avp a : avps) {
      a.encode(w);
    }
    return w.toByteArray();
  }

  public ControlMessage withSequence(int newNs, int newNr) {
    return new ControlMessage(tunnelId, sessionId, newNs, newNr, avps);
  }

  public ControlMessage withTunnelId(int newTunnelId) {
    return new ControlMessage(newTunnelId, sessionId, ns, nr, avps);
  }

  public boolean isZlb() {
    return avps.isEmpty();
  }

  /** The Message Type (empty for a ZLB). */
  public Optional<MessageType> messageType() {
    return isZlb() ? Optional.empty() : Optional.of(MessageType.valueOf(avps.get(0).u16()));
  }

  /** The first plain IETF AVP of {@code type}. */
  public Optional<Avp> find(AvpType type) {
    return avps.stream().filter(a -> a.isIetf(type) && !a.hidden()).findFirst();
  }

  public Optional<ResultCode> resultCode() {
    return find(AvpType.RESULT_CODE).map(a -> ResultCode.decode(a.value()));
  }

  public Optional<String> hostName() {
    return find(AvpType.HOST_NAME).map(Avp::text);
  }

  public Optional<Integer> assignedTunnelId() {
    return find(AvpType.ASSIGNED_TUNNEL_ID).map(Avp::u16);
  }

  public Optional<Integer> assignedSessionId() {
    return find(AvpType.ASSIGNED_SESSION_ID).map(Avp::u16);
  }

  public Optional<Integer> receiveWindowSize() {
    return find(AvpType.RECEIVE_WINDOW_SIZE).map(Avp::u16);
  }
}
