package dev.coati.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a client presented, by method. Byte arrays are the caller's; the authenticator only reads
 * them. {@code toString} never shows secrets or responses.
 */
public sealed interface AuthRequest {
  /** The user name as the client sent it. */
  String user();

  /**
   * Xauth (draft-beaulieu-ike-xauth-02 XAUTH_USER_NAME / XAUTH_USER_PASSWORD) or PAP (RFC 1334).
   */
  record Plain(String user, byte[] password) implements AuthRequest {
    /**
     * From the wire: the name as UTF-8 and the password with ONE trailing NUL byte removed, as
     * Android's racoon sends it ({@code xauth->pass->l += 1}); strongSwan and libreswan strip it
     * too. A trailing NUL on the name is dropped the same way.
     */
    public static Plain fromWire(byte[] user, byte[] password) {
      return new Plain(new String(stripNul(user), StandardCharsets.UTF_8), stripNul(password));
    }

    static byte[] stripNul(byte[] b) {
      return b.length > 0 && b[b.length - 1] == 0 ? Arrays.copyOf(b, b.length - 1) : b;
    }

    @Override
    public String toString() {
      return "Plain[user=" + user + "]";
    }
  }

  /** CHAP with MD5 (RFC 1994): the identifier, our challenge and the peer's 16-byte response. */
  record ChapMd5(String user, int identifier, byte[] challenge, byte[] response)
      implements AuthRequest {
    @Override
    public String toString() {
      return "ChapMd5[user=" + user + ", id=" + identifier + "]";
    }
  }

  /**
   * MS-CHAPv2 (RFC 2759 §4): our 16-byte authenticator challenge, the peer's 16-byte challenge and
   * its 24-byte NT-Response.
   */
  record MsChapV2(
      String user, byte[] authenticatorChallenge, byte[] peerChallenge, byte[] ntResponse)
      implements AuthRequest {
    @Override
    public String toString() {
      return "MsChapV2[user=" + user + "]";
    }
  }
}
