package dev.coati.server.cli;

import dev.coati.config.GatewayConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code coati check} warns about aggressive mode: an open aggressive mode hands a HASH_R of
 * the PSK to anyone who sends the right group name, and psk-crack tries well over a million guesses
 * a second per core against it, so a PSK shorter than {@value #MIN_PSK} characters is a risk.
 */
final class AggressiveModeCheck {
  static final int MIN_PSK = 20;

  private AggressiveModeCheck() {}

  static List<String> warnings(GatewayConfig config) {
    List<String> out = new ArrayList<>();
    for (String id : config.aggressiveIds()) {
      for (GatewayConfig.PskEntry e : config.psks()) {
        if ((e.matches(id) || e.matches("any")) && e.secret().length() < MIN_PSK) {
          out.add(
              "warning: ike.aggressive_ids: aggressive mode is open for '"
                  + id
                  + "' and its PSK (secrets.psk, peers "
                  + String.join(", ", e.peers())
                  + ") has "
                  + e.secret().length()
                  + " characters: anyone who knows the group name gets a HASH_R to crack offline"
                  + " (psk-crack); use a random PSK of at least "
                  + MIN_PSK
                  + " characters, or hybrid-rsa in remote_access.auth");
          break;
        }
      }
    }
    for (GatewayConfig.PeerConfig p : config.peers()) {
      if (p.aggressive() && p.secret() != null && p.secret().length() < MIN_PSK) {
        out.add(
            "warning: peers "
                + p.name()
                + ": aggressive mode with a PSK of "
                + p.secret().length()
                + " characters can be cracked offline from one captured exchange; use a random"
                + " PSK of at least "
                + MIN_PSK
                + " characters, or main mode");
      }
    }
    return out;
  }
}
