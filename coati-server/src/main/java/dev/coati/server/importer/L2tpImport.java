package dev.coati.server.importer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * xl2tpd.conf ({@code [lns default]}: ip range, local ip, refuse/require pap/chap, name) and the
 * pppd options file it names (require-mschap-v2, refuse-*, ms-dns, ms-wins, lcp-echo-*, idle).
 */
final class L2tpImport {
  private final ImportedConfig c;
  private final Set<String> refused = new LinkedHashSet<>();
  private final Set<String> required = new LinkedHashSet<>();

  L2tpImport(ImportedConfig c) {
    this.c = c;
  }

  /** Returns the pppoptfile the LNS section names, or null. */
  String xl2tpd(String file, String text) {
    c.l2tp = true;
    String section = "";
    String optFile = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      String origin = file + ":" + (i + 1);
      if (l.isEmpty() || l.startsWith(";") || l.startsWith("#")) {
        continue;
      }
      if (l.startsWith("[")) {
        section = l.toLowerCase(Locale.ROOT);
        continue;
      }
      int eq = l.indexOf('=');
      if (eq < 0) {
        c.skip(origin, "'" + l + "' is not key = value");
        continue;
      }
      String key = l.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = l.substring(eq + 1).strip();
      if (section.startsWith("[lns")) {
        String opt = lns(origin, key, value);
        optFile = opt == null ? optFile : opt;
      } else {
        c.took(origin, key + ": coati's L2TP server needs no " + section + " setting for it");
      }
    }
    return optFile;
  }

  private String lns(String origin, String key, String value) {
    boolean yes = value.equalsIgnoreCase("yes");
    switch (key) {
      case "ip range" -> c.pool = value.replace(" ", "");
      case "local ip" -> c.tunAddress = value;
      case "refuse pap" -> flag(yes, refused, "pap");
      case "refuse chap" -> flag(yes, refused, "chap");
      case "require pap" -> flag(yes, required, "pap");
      case "require chap" -> flag(yes, required, "chap");
      case "require authentication" -> {
        if (!yes) {
          c.skip(origin, "require authentication = no: coati always authenticates PPP users");
        }
      }
      case "name", "hostname" -> c.hostName = value;
      case "pppoptfile" -> {
        return value;
      }
      case "length bit",
          "ppp debug",
          "exclusive",
          "hidden bit",
          "assign ip",
          "challenge",
          "flow bit",
          "tunnel rws" ->
          c.took(origin, key + ": handled by coati's L2TP server");
      default -> c.skip(origin, "'" + key + " = " + value + "' is not translated");
    }
    return null;
  }

  private static void flag(boolean on, Set<String> set, String what) {
    if (on) {
      set.add(what);
    }
  }

  void pppOptions(String file, String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = IpsecConfImport.stripComment(lines[i]).strip();
      String origin = file + ":" + (i + 1);
      if (l.isEmpty()) {
        continue;
      }
      List<String> w = SecretsImport.words(l);
      String opt = w.get(0);
      String arg = w.size() > 1 ? w.get(1) : null;
      switch (opt) {
        case "require-mschap-v2" -> required.add("mschapv2");
        case "require-chap" -> required.add("chap");
        case "require-pap" -> required.add("pap");
        case "refuse-mschap-v2" -> refused.add("mschapv2");
        case "refuse-chap" -> refused.add("chap");
        case "refuse-pap" -> refused.add("pap");
        case "ms-dns" -> c.dns.add(arg);
        case "ms-wins" -> c.nbns.add(arg);
        case "name" -> c.hostName = arg;
        case "lcp-echo-interval" -> c.lcpEchoInterval = Algorithms.duration(arg, "s");
        case "lcp-echo-failure" -> c.lcpEchoFailures = arg;
        case "idle" -> c.idleTimeout = Algorithms.duration(arg, "s");
        case "plugin" -> {
          if (arg != null && arg.startsWith("radius")) {
            c.usersSource = "radius";
            c.skip(origin, "plugin radius.so: add radius.servers (address, secret_file) by hand");
          } else {
            c.skip(origin, "plugin " + arg + " is not translated");
          }
        }
        case "mtu", "mru" -> c.took(origin, opt + ": coati sets the MRU from dataplane.mtu");
        case "refuse-mschap",
            "require-mschap",
            "ipcp-accept-local",
            "ipcp-accept-remote",
            "noccp",
            "nodefaultroute",
            "nobsdcomp",
            "nodeflate",
            "auth",
            "lock",
            "nolock",
            "proxyarp",
            "debug",
            "dump",
            "logfile",
            "persist",
            "crtscts",
            "hide-password",
            "noipx",
            "netmask",
            "connect-delay",
            "asyncmap",
            "modem",
            "silent",
            "novj",
            "novjccomp",
            "noauth",
            "+mschap-v2",
            "require-mppe-128",
            "nomppe",
            "mppe" ->
            c.took(origin, opt + ": not needed (coati's PPP does what Windows/macOS/Android need)");
        default -> c.skip(origin, "pppd option '" + l + "' is not translated");
      }
    }
  }

  /** The PPP methods, in coati's preference order, after every refuse/require. */
  void finish() {
    if (!c.l2tp) {
      return;
    }
    for (String m : List.of("mschapv2", "chap", "pap")) {
      if (!refused.contains(m) && (required.isEmpty() || required.contains(m))) {
        c.pppAuth.add(m);
      }
    }
  }
}
