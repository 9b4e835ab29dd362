package dev.coati.ike;

import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.AttributePayload;
import dev.coati.ike.wire.CfgAttr;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of Xauth and mode config (what strongSwan, vpnc or iOS do against a gateway):
 * answer the credential REQUEST, ACK the XAUTH_STATUS SET and, after a success, pull the
 * configuration with a REQUEST (or ACK a pushed SET). The assigned address lands on the SA.
 */
final class XauthClient {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");

  private XauthClient() {}

  /** Our answer to the gateway's REQUEST or SET; {@code pull} runs after a successful status. */
  static AttributePayload answer(
      IkeSa sa, RemoteAccess.Credentials creds, AttributePayload msg, Runnable pull) {
    if (msg.cfgType() == AttributePayload.CFG_REQUEST) {
      List<Attribute> out = new ArrayList<>();
      for (Attribute a : msg.attributes()) {
        if (a.type() == CfgAttr.XAUTH_USER_NAME) {
          out.add(Attribute.tlv(CfgAttr.XAUTH_USER_NAME, creds.user()));
        } else if (a.type() == CfgAttr.XAUTH_USER_PASSWORD) {
          out.add(Attribute.tlv(CfgAttr.XAUTH_USER_PASSWORD, creds.password()));
        }
      }
      return new AttributePayload(AttributePayload.CFG_REPLY, msg.identifier(), out);
    }
    if (msg.cfgType() != AttributePayload.CFG_SET) {
      return null;
    }
    List<Attribute> acked = new ArrayList<>();
    for (Attribute a : msg.attributes()) {
      if (a.type() == CfgAttr.XAUTH_STATUS) {
        LOG.log(Level.INFO, "{0} Xauth status {1}", sa.name(), a.intValue());
        if (a.intValue() == 1) {
          pull.run();
        }
      } else if (a.type() == CfgAttr.INTERNAL_IP4_ADDRESS && a.value().length == 4) {
        sa.setVirtualAddress(a.value());
      }
      acked.add(a.tv() ? a : Attribute.tlv(a.type(), new byte[0]));
    }
    return new AttributePayload(AttributePayload.CFG_ACK, msg.identifier(), acked);
  }

  /** The mode config REQUEST a client sends after Xauth (strongSwan's pull). */
  static AttributePayload pullRequest(int identifier) {
    return new AttributePayload(
        AttributePayload.CFG_REQUEST,
        identifier,
        List.of(
            Attribute.tlv(CfgAttr.INTERNAL_IP4_ADDRESS, new byte[0]),
            Attribute.tlv(CfgAttr.INTERNAL_IP4_DNS, new byte[0]),
            Attribute.tlv(CfgAttr.UNITY_BANNER, new byte[0])));
  }

  /** The gateway's REPLY to our pull: take the address. */
  static void replied(IkeSa sa, AttributePayload reply) {
    for (Attribute a : reply.attributes()) {
      if (a.type() == CfgAttr.INTERNAL_IP4_ADDRESS && a.value().length == 4) {
        sa.setVirtualAddress(a.value());
      }
    }
  }
}
