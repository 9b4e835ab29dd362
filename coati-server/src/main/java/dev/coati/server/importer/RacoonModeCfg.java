package dev.coati.server.importer;

import static dev.coati.server.importer.BraceConfig.children;

import dev.coati.server.importer.BraceConfig.Stmt;
import dev.coati.util.Ipv4Address;

/** racoon.conf's mode_cfg (pool and attributes) and radiuscfg (servers) sections. */
final class RacoonModeCfg {
  private final ImportedConfig c;
  private final String file;

  RacoonModeCfg(ImportedConfig c, String file) {
    this.c = c;
    this.file = file;
  }

  void modeCfg(Stmt s) {
    String network = null;
    int size = 0;
    for (Stmt m : children(s)) {
      switch (m.head()) {
        case "network4" -> network = m.arg(0);
        case "pool_size" -> size = Integer.parseInt(m.arg(0));
        case "netmask4" -> c.took(at(m), "netmask4: the prefix comes from dataplane.address");
        case "dns4" -> c.dns.addAll(m.args());
        case "wins4" -> c.nbns.addAll(m.args());
        case "default_domain" -> c.domain = m.arg(0);
        case "banner" -> c.banner = m.arg(0);
        case "split_network" -> {
          if ("include".equals(m.arg(0))) {
            c.splitInclude.addAll(m.args().subList(1, m.args().size()));
          } else {
            c.skip(at(m), "split_network " + m.arg(0) + ": only include lists are translated");
          }
        }
        case "save_passwd" -> c.took(at(m), "save_passwd: remote_access.save_password");
        case "auth_source" -> authSource(m);
        case "conf_source" ->
            c.took(
                at(m),
                "conf_source radius: coati uses a Framed-IP-Address" + " from RADIUS by itself");
        case "accounting" ->
            c.took(at(m), "accounting radius: coati accounts when radius is" + " configured");
        case "pfs_group" ->
            c.took(at(m), "pfs_group: coati accepts what the client proposes" + " (esp.pfs)");
        default -> c.skip(at(m), "mode_cfg '" + m.text() + "' is not translated");
      }
    }
    if (network != null && size > 0) {
      long first = Ipv4Address.parse(network).unsigned();
      long last = first + Math.min(size, 65534) - 1;
      c.pool = network + "-" + new Ipv4Address((int) last);
    }
  }

  private void authSource(Stmt m) {
    String src = m.arg(0);
    if ("radius".equals(src)) {
      c.usersSource = "radius";
    } else {
      c.skip(
          at(m),
          "auth_source "
              + src
              + ": coati checks its users file (and RADIUS); add the"
              + " users with 'coati user add NAME --config coati.yaml'");
    }
  }

  void radius(Stmt s) {
    for (Stmt r : children(s)) {
      if ((r.head().equals("auth") || r.head().equals("acct")) && r.args().size() >= 2) {
        String secret = r.args().get(r.args().size() - 1);
        String host = r.arg(0);
        if (!IpsecConfImport.isAddress(host)) {
          c.skip(at(r), "RADIUS server " + host + ": coati needs its IPv4 address");
        } else if (c.radiusServers.stream().noneMatch(m -> host.equals(m.address()))) {
          c.radiusServers.add(new ImportedConfig.RadiusServer(host, secret));
        }
      } else {
        c.skip(at(r), "radiuscfg '" + r.text() + "' is not translated");
      }
    }
  }

  private String at(Stmt s) {
    return file + ":" + s.line();
  }
}
