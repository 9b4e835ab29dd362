package dev.coati.ike.wire;

/**
 * Attribute types of ISAKMP mode config (draft-dukes-ike-mode-cfg-02 section 3.2), extended
 * authentication (draft-beaulieu-ike-xauth-02 section 6.1) and the Cisco Unity extensions (as Cisco
 * clients, vpnc, racoon and strongSwan's unity plugin use them).
 */
public final class CfgAttr {
  public static final int INTERNAL_IP4_ADDRESS = 1;
  public static final int INTERNAL_IP4_NETMASK = 2;
  public static final int INTERNAL_IP4_DNS = 3;
  public static final int INTERNAL_IP4_NBNS = 4;
  public static final int INTERNAL_ADDRESS_EXPIRY = 5;
  public static final int INTERNAL_IP4_DHCP = 6;
  public static final int APPLICATION_VERSION = 7;
  public static final int INTERNAL_IP6_ADDRESS = 8;
  public static final int INTERNAL_IP6_NETMASK = 9;
  public static final int INTERNAL_IP6_DNS = 10;
  public static final int INTERNAL_IP4_SUBNET = 13;
  public static final int SUPPORTED_ATTRIBUTES = 14;

  public static final int XAUTH_TYPE = 16520;
  public static final int XAUTH_USER_NAME = 16521;
  public static final int XAUTH_USER_PASSWORD = 16522;
  public static final int XAUTH_PASSCODE = 16523;
  public static final int XAUTH_MESSAGE = 16524;
  public static final int XAUTH_CHALLENGE = 16525;
  public static final int XAUTH_DOMAIN = 16526;
  public static final int XAUTH_STATUS = 16527;
  public static final int XAUTH_NEXT_PIN = 16528;
  public static final int XAUTH_ANSWER = 16529;

  /** XAUTH_TYPE value: generic username/password. */
  public static final int XAUTH_TYPE_GENERIC = 0;

  public static final int UNITY_BANNER = 28672;
  public static final int UNITY_SAVE_PASSWD = 28673;
  public static final int UNITY_DEF_DOMAIN = 28674;
  public static final int UNITY_SPLITDNS_NAME = 28675;
  public static final int UNITY_SPLIT_INCLUDE = 28676;
  public static final int UNITY_NATT_PORT = 28677;
  public static final int UNITY_LOCAL_LAN = 28678;
  public static final int UNITY_PFS = 28679;
  public static final int UNITY_FW_TYPE = 28680;
  public static final int UNITY_BACKUP_SERVERS = 28681;
  public static final int UNITY_DDNS_HOSTNAME = 28682;

  private CfgAttr() {}
}
