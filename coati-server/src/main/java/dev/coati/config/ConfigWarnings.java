package dev.coati.config;

import dev.coati.crypto.Secret;
import java.nio.file.Files;
import java.util.List;

/**
 * What {@code coati check} reports besides hard errors ({@link ConfigLoader.Inspection}): a users
 * file that does not exist (a problem: every login would fail), and legal settings that are likely
 * wrong (warnings), each with file, line and key.
 */
final class ConfigWarnings {
  /** Shorter pre-shared keys draw a warning. */
  static final int MIN_PSK_LENGTH = 20;

  private ConfigWarnings() {}

  static void shortPsk(YamlNode f, Secret secret, List<String> warnings) {
    if (secret.length() < MIN_PSK_LENGTH) {
      warnings.add(
          f.warning(
              "the pre-shared key has "
                  + secret.length()
                  + " characters; with aggressive mode or a leaked handshake a short one is"
                  + " cracked offline: use "
                  + MIN_PSK_LENGTH
                  + " or more random characters"));
    }
  }

  static void usersFileMissing(UsersSection.Users users, String config, List<String> problems) {
    if (users != null && users.file() != null && !Files.exists(users.file())) {
      problems.add(
          users
              .node()
              .error(
                  "the users file "
                      + users.file()
                      + " does not exist, so every login would fail: create it with coati user"
                      + " add NAME --config "
                      + config)
              .getMessage());
    }
  }

  /**
   * {@code anyPsk}: the {@code peers: any} PSK entry (null: none) and its secret. Aggressive mode
   * hands a HASH_R of that PSK to anyone who sends an allowed group name, and psk-crack tries over
   * a million guesses a second per core against it: a short one is a risk.
   */
  static void aggressiveAnyPsk(
      List<String> aggressiveIds, YamlNode anyPsk, Secret secret, List<String> warnings) {
    if (!aggressiveIds.isEmpty() && anyPsk != null && secret.length() < MIN_PSK_LENGTH) {
      warnings.add(
          anyPsk.warning(
              "this PSK (peers: any) answers aggressive mode for "
                  + aggressiveIds
                  + " and has "
                  + secret.length()
                  + " characters: anyone who sends such a group name gets a HASH_R to crack"
                  + " offline (psk-crack); use "
                  + MIN_PSK_LENGTH
                  + " or more random characters, or hybrid-rsa in remote_access.auth"));
    }
  }

  /**
   * Users from RADIUS without {@code radius.framed_ip:}: an Access-Accept that names no address
   * (e.g. sqlippool's shared pool is exhausted) takes one from this gateway's own pool, which
   * another gateway of the same RADIUS may hand out too (README "Scaling out").
   */
  static void framedIpFallback(YamlNode radius, String pool, List<String> warnings)
      throws ConfigException {
    if (radius != null && !RadiusSection.framedIpGiven(radius)) {
      warnings.add(
          radius.warning(
              "users come from RADIUS, and an Access-Accept without Framed-IP-Address takes an"
                  + " address from this gateway's remote_access.pool ("
                  + pool
                  + "), which no other gateway knows about: if RADIUS hands out the addresses"
                  + " for several gateways (e.g. sqlippool), set framed_ip: required (such a"
                  + " login then fails); if this pool belongs to this gateway alone, set"
                  + " framed_ip: optional"));
    }
  }
}
