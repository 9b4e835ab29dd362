package dev.coati.ike;

/** Capabilities and client kinds a peer announced through Vendor ID payloads. */
public enum PeerFeature {
  DPD,
  NAT_T_RFC3947,
  NAT_T_DRAFT_00,
  NAT_T_DRAFT_01,
  NAT_T_DRAFT_02,
  NAT_T_DRAFT_02N,
  NAT_T_DRAFT_03,
  NAT_T_DRAFT,
  XAUTH,
  CISCO_UNITY,
  FRAGMENTATION,
  MS_NT5_ISAKMPOAKLEY,
  MS_NEGOTIATION_DISCOVERY,
  MS_INITIAL_CONTACT,
  MS_CGA,
  STRONGSWAN;

  /** True for any of the NAT-T vendor IDs (RFC 3947 or one of the drafts). */
  public boolean isNatT() {
    return name().startsWith("NAT_T");
  }
}
