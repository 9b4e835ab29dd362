package dev.coati.server.cli;

import dev.coati.server.cli.DemoCommand.DemoSecrets;
import dev.coati.server.cli.DemoCommand.Settings;
import java.io.PrintStream;

/**
 * What {@code coati demo} writes into {@code coati.yaml} and prints: the files, the secrets (once,
 * on standard output only), how to start the gateway, and the settings for macOS/iOS "Cisco IPsec",
 * Android "IPSec Xauth PSK", strongSwan (swanctl.conf) and vpnc.
 */
final class DemoInstructions {
  private DemoInstructions() {}

  /** The demo configuration (README "Remote access"), listening on the chosen address. */
  static String config(Settings s) {
    return """
        # coati demo gateway (made by: coati demo): Cisco-style remote access, group PSK + Xauth.
        # Start: ./coati run --config {config}   (as root: TUN device coati0, UDP 500/4500)
        gateway:
          listen: [{address}]
          id: fqdn:{name}
          certificate: pki/{name}.pem  # for hybrid RSA: the gateway proves itself with it
          private_key: pki/{name}.key  # mode 0600
        secrets:
          psk:
            - peers: any               # the group PSK, main and aggressive mode
              secret_file: psk.txt     # mode 0600
        ike:
          aggressive_ids: [{group}]   # the group name Apple, Android, vpnc and Shrew send
        users:
          file: users.txt              # add users: coati user add NAME --config {config}
        remote_access:
          auth: [psk-xauth, hybrid-rsa]
          pool: 10.99.99.10-10.99.99.200
          dns: [1.1.1.1]               # replace with your network's resolver
          domain: coati.test
          split_include: [10.99.99.0/24]  # only the VPN subnet goes through the tunnel; remove
                                          # it for all traffic (then forward and NAT on this host)
          mode_config: pull            # clients ask for their address (push: the gateway sets it)
          xauth_attempts: 3
        l2tp:                          # L2TP/IPsec: Windows, macOS/iOS, Android, NetworkManager
          auth: [mschapv2, pap]        # demo's password is stored as hashes: no CHAP-MD5
          lcp_echo_interval: 20s       # dead clients (no DPD from Windows/iOS) found in ~1 min
        dataplane:
          tun: coati0
          address: 10.99.99.1/24       # the gateway inside the tunnel; the prefix covers the pool
        # pki/: the demo CA and server certificate; hybrid RSA clients need pki/ca.pem installed.
        """
        .replace("{config}", s.configText())
        .replace("{address}", s.address())
        .replace("{name}", s.name())
        .replace("{group}", DemoCommand.GROUP);
  }

  /** Prints the files, secrets and client settings. */
  static void print(Settings s, DemoSecrets secrets, PrintStream out) {
    print(s, secrets, out, false);
  }

  /**
   * Prints the files, secrets and client settings; {@code running}: for {@code coati run}'s
   * embedded default, which starts the gateway right after.
   */
  static void print(Settings s, DemoSecrets secrets, PrintStream out, boolean running) {
    String d = s.dirText().endsWith("/") ? s.dirText() : s.dirText() + "/";
    String server = s.wildcard() ? "<this host's address>" : s.address();
    out.print(
        """
        {made} a remote-access gateway (Cisco-style group PSK + Xauth, and L2TP/IPsec):
          {dir}coati.yaml      the configuration (listens on {address}, gateway id fqdn:{name})
          {dir}psk.txt         the group pre-shared key (0600)
          {dir}users.txt       user demo: PBKDF2 hash and NT hash of the password (0600)
          {dir}pki/ca.pem, ca.key (0600)   the demo CA
          {dir}pki/{name}.pem, {name}.key (0600)   the server certificate ({name}, {san})
          Hybrid RSA (Android "IPSec Hybrid RSA", strongSwan auth = xauth + pubkey) uses the
          certificate: install {dir}pki/ca.pem on the client; PSK + Xauth needs no certificate.

        {secrets}
          group name      {group}
          shared secret   {psk}
          user            demo
          password        {password}

        {start}
        Once connected, the client has an address from 10.99.99.10-10.99.99.200 and reaches the
        gateway at 10.99.99.1 (ping 10.99.99.1).
        """
            .replace(
                "{start}",
                running
                    ? "The gateway starts now (TUN coati0, UDP 500/4500); started again with the"
                        + " same state\ndirectory it keeps this PSK and user: ./coati run"
                        + " --state-dir {dirText}"
                    : "Start the gateway (as root, e.g. with sudo: it opens TUN coati0 and UDP"
                        + " 500/4500):\n  ./coati run --config {config}")
            .replace(
                "{secrets}",
                running
                    ? "The secrets (kept, mode 0600, in {dir}psk.txt and {dir}"
                        + DemoCommand.PASSWORD_FILE
                        + "):"
                    : "The secrets, shown only now (the password is stored only as hashes; a new"
                        + " one:\ncoati user passwd demo --config {config}):")
            .replace("{made}", running ? "coati: the embedded default is" : "coati demo: wrote")
            .replace("{dirText}", s.dirText())
            .replace("{dir}", d)
            .replace("{address}", s.address())
            .replace("{name}", s.name())
            .replace("{san}", s.wildcard() ? "DNS name only" : "and " + s.address())
            .replace("{config}", s.configText())
            .replace("{group}", DemoCommand.GROUP)
            .replace("{psk}", secrets.psk())
            .replace("{password}", secrets.password()));
    if (s.address().startsWith("127.")) {
      out.println(
          "Note: "
              + s.address()
              + " is reachable from this machine only; for a phone or another computer run\n"
              + (running
                  ? "  rm -r " + s.dirText() + "; ./coati run --address <this host's address>"
                  : "  ./coati demo --dir "
                      + s.dirText()
                      + " --address <this host's address> --force"));
    } else if (s.wildcard()) {
      out.println(
          "Note: the gateway listens on every address; give clients the one they reach it by.");
    }
    out.print(clients(s, server, secrets));
  }

  private static String clients(Settings s, String server, DemoSecrets secrets) {
    return """

        macOS: System Settings > VPN > Add VPN Configuration > Cisco IPSec
        iOS:   Settings > General > VPN & Device Management > VPN > Add VPN Configuration > IPsec
          Server          {server}
          Account         demo
          Password        {password}
          Group Name      {group}   (macOS: Authentication Settings > Shared Secret + Group Name)
          Secret          {psk}
          Use Certificate off

        Android (up to 11): Settings > Network > VPN > Add, type "IPSec Xauth PSK"
          Server address        {server}
          IPSec identifier      {group}
          IPSec pre-shared key  {psk}
          Username              demo   (asked when connecting)
          Password              {password}

        strongSwan (swanctl.conf on the client; then: swanctl --load-all;
        swanctl --initiate --child coati-demo):
          connections {
            coati-demo {
              version = 1
              aggressive = yes
              remote_addrs = {server}
              vips = 0.0.0.0
              proposals = aes256-sha256-modp2048
              local { auth = psk
                      id = keyid:{group} }
              local-xauth { auth = xauth
                            xauth_id = demo }
              remote { auth = psk
                       id = fqdn:{name} }
              children { coati-demo { remote_ts = 10.99.99.0/24
                                      esp_proposals = aes128-sha1 } }
            }
          }
          secrets {
            ike-coati-demo { secret = "{psk}" }
            xauth-coati-demo { id = demo
                               secret = "{password}" }
          }

        vpnc (/etc/vpnc/coati-demo.conf, then: vpnc coati-demo):
          IPSec gateway {server}
          IPSec ID {group}
          IPSec secret {psk}
          Xauth username demo
          Xauth password {password}

        L2TP/IPsec, the same PSK and user (PPP MS-CHAPv2; CHAP-MD5 needs a {plain} password):
        Windows: Settings > Network & Internet > VPN > Add VPN, type "L2TP/IPsec with
          pre-shared key"; Server {server}, Pre-shared key {psk}, User name demo, Password
          {password}. Behind a NAT (Windows or the gateway) Windows needs once, as admin:
          reg add HKLM\\SYSTEM\\CurrentControlSet\\Services\\PolicyAgent /v
          AssumeUDPEncapsulationContextOnSendRule /t REG_DWORD /d 2 /f   (then reboot)
        macOS: System Settings > VPN > Add VPN Configuration > L2TP over IPSec; iOS: type L2TP
          Server {server}, Account demo, Password {password}, Shared Secret {psk}
        Android (up to 11): VPN type "L2TP/IPSec PSK"; Server {server}, IPSec pre-shared key
          {psk}, L2TP secret and IPSec identifier empty; user demo, password {password}
        Linux (NetworkManager-l2tp): Gateway {server}, User demo, Password {password};
          IPsec Settings: Pre-shared key {psk} (phase 1 e.g. aes256-sha1-modp2048)
        """
        .replace("{server}", server)
        .replace("{name}", s.name())
        .replace("{group}", DemoCommand.GROUP)
        .replace("{psk}", secrets.psk())
        .replace("{password}", secrets.password());
  }
}
