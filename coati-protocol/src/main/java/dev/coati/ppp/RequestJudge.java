package dev.coati.ppp;

import dev.coati.ppp.OptionPolicy.Kind;
import dev.coati.ppp.OptionPolicy.Verdict;
import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a peer's Configure-Request into our reply (RFC 1661 section 5.2-5.4): Configure-Reject with
 * every rejected option if any, else Configure-Nak with our suggestions, else Configure-Ack with
 * the request's options unchanged. After Max-Failure Naks the Nak'd options are rejected instead
 * (section 4.6), so negotiation converges.
 */
final class RequestJudge {
  private RequestJudge() {}

  /** The reply, and whether it is an Ack (RCR+) or not (RCR-). */
  record Reply(ControlPacket packet, boolean good) {}

  static Reply judge(OptionPolicy policy, ControlPacket request, boolean failed) {
    List<PppOption> options = request.options();
    List<PppOption> rejects = new ArrayList<>();
    List<PppOption> naks = new ArrayList<>();
    for (PppOption o : options) {
      Verdict v = policy.judge(o);
      if (v.kind() == Kind.REJECT || (v.kind() == Kind.NAK && failed)) {
        rejects.add(o);
      } else if (v.kind() == Kind.NAK) {
        naks.add(v.value());
      }
    }
    int id = request.identifier();
    if (!rejects.isEmpty()) {
      return new Reply(
          ControlPacket.withOptions(ControlPacket.CONFIGURE_REJECT, id, rejects), false);
    }
    if (!failed) {
      naks.addAll(policy.missing(options));
    }
    if (!naks.isEmpty()) {
      return new Reply(ControlPacket.withOptions(ControlPacket.CONFIGURE_NAK, id, naks), false);
    }
    policy.accepted(options);
    return new Reply(new ControlPacket(ControlPacket.CONFIGURE_ACK, id, request.data()), true);
  }
}
