package dev.coati.ike;

import dev.coati.ike.wire.NotifyPayload;
import dev.coati.ike.wire.NotifyType;

/** INITIAL-CONTACT (RFC 2407 section 4.6.3.3) sent with phase-1 authentication. */
final class InitialContact {
  private InitialContact() {}

  static void check(IkeSa sa, IkeContext ctx, InboundMessage in) {
    for (NotifyPayload n : in.all(NotifyPayload.class)) {
      if (n.notifyType().equals(NotifyType.INITIAL_CONTACT)) {
        ctx.listener().initialContact(sa);
      }
    }
  }
}
