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
      IkeSa sa,
      RemoteAccess.Credentials creds,
      AttributePayload msg,
      Runnable pull,
      IkeListener listener) {
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
    boolean config = false;
    for (Attribute a : msg.attributes()) {
      if (a.type() == CfgAttr.XAUTH_STATUS) {
        LOG.log(Level.INFO, "{0} Xauth status {1}", sa.name(), a.intValue());
        if (a.intValue() == 1) {
          pull.run();
        }
      } else if (a.type() == CfgAttr.INTERNAL_IP4_ADDRESS && a.value().length == 4) {
        config = true;
      }
      acked.add(a.tv() ? a : Attribute.tlv(a.type(), new byte[0]));
    }
    if (config) {
      configured(sa, msg, listener); // a pushed configuration (Cisco's SET)
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
            Attribute.tlv(CfgAttr.INTERNAL_IP4_NETMASK, new byte[0]),
            Attribute.tlv(CfgAttr.INTERNAL_IP4_DNS, new byte[0]),
            Attribute.tlv(CfgAttr.INTERNAL_IP4_NBNS, new byte[0]),
            Attribute.tlv(CfgAttr.UNITY_BANNER, new byte[0]),
            Attribute.tlv(CfgAttr.UNITY_DEF_DOMAIN, new byte[0]),
            Attribute.tlv(CfgAttr.UNITY_SPLIT_INCLUDE, new byte[0]),
            Attribute.tlv(CfgAttr.UNITY_SPLITDNS_NAME, new byte[0]),
            Attribute.tlv(CfgAttr.UNITY_SAVE_PASSWD, new byte[0]),
            Attribute.tlv(CfgAttr.UNITY_PFS, new byte[0])));
  }

  /** The gateway's REPLY to our pull: take the address. */
  static void replied(IkeSa sa, AttributePayload reply, IkeListener listener) {
    configured(sa, reply, listener);
  }

  /** The configuration in {@code msg} lands on the SA and goes to the listener. */
  private static void configured(IkeSa sa, AttributePayload msg, IkeListener listener) {
    RemoteAccess.ClientConfig cfg = ModeConfigAttributes.decode(msg.attributes());
    if (cfg.address() == null) {
      LOG.log(Level.INFO, "{0} mode config without an address", sa.name());
      return;
    }
    sa.setVirtualAddress(cfg.address());
    listener.modeConfigReceived(sa, cfg);
  }
}
