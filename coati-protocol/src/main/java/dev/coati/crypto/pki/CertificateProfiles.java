package dev.coati.crypto.pki;

import dev.coati.crypto.pki.CertificateSpec.KeyUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The three certificates an IKEv1 remote-access set-up needs, with the rules the clients enforce.
 * Apple (macOS/iOS "Cisco IPsec" and IKEv2, "Requirements for trusted certificates in iOS 13 and
 * macOS 10.15", support.apple.com HT210176) checks the server certificate: the address the user
 * typed must be a subjectAltName (DNS name or IP; the CN is not looked at when a SAN is present),
 * extendedKeyUsage must contain serverAuth, RSA keys have at least 2048 bits, SHA-2 signatures, and
 * the validity period is at most {@value #APPLE_MAX_SERVER_DAYS} days. Windows and strongSwan look
 * for the IKE intermediate purpose (RFC 4945 §5.1.3.12). Every certificate starts an hour before
 * {@code now}, for peers whose clock is a little behind; that hour counts towards the period.
 */
public final class CertificateProfiles {
  /** Apple's limit on a TLS/IKE server certificate's validity period, in days. */
  public static final int APPLE_MAX_SERVER_DAYS = 825;

  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern PLAIN_NAME = Pattern.compile("[\\p{L}\\p{N} ._@+-]{1,64}");
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+");

  private CertificateProfiles() {}

  /** A root CA: cA, keyCertSign and cRLSign, subject {@code CN=commonName}. */
  public static CertificateSpec ca(String commonName, Instant now, int days) {
    return spec(
        "CN=" + plain(commonName),
        now,
        days,
        true,
        EnumSet.of(KeyUsage.KEY_CERT_SIGN, KeyUsage.CRL_SIGN),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  /**
   * The gateway's certificate: subject {@code CN=name}, subjectAltName with {@code name} (as DNS
   * name, or as IP address if it is one) and every address in {@code ips}, EKU serverAuth and IKE
   * intermediate, keyUsage digitalSignature (and keyEncipherment for RSA keys, which Windows'
   * certificate picker likes); at most {@value #APPLE_MAX_SERVER_DAYS} days.
   */
  public static CertificateSpec server(
      String name, List<String> ips, boolean rsaKey, Instant now, int days) {
    if (days > APPLE_MAX_SERVER_DAYS) {
      throw new PkiException(
          days
              + " days: Apple devices refuse server certificates valid for more than "
              + APPLE_MAX_SERVER_DAYS
              + " days");
    }
    List<String> dns = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    (IPV4.matcher(name).matches() ? addresses : dns).add(checkedHost(name));
    for (String ip : ips) {
      if (!IPV4.matcher(ip).matches()) {
        throw new PkiException("not an IPv4 address: " + ip);
      }
      if (!addresses.contains(ip)) {
        addresses.add(ip);
      }
    }
    Set<KeyUsage> usage =
        rsaKey
            ? EnumSet.of(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_ENCIPHERMENT)
            : EnumSet.of(KeyUsage.DIGITAL_SIGNATURE);
    List<String> eku =
        List.of(CertificateSpec.EKU_SERVER_AUTH, CertificateSpec.EKU_IKE_INTERMEDIATE);
    return spec("CN=" + name, now, days, false, usage, eku, dns, addresses, List.of());
  }

  /**
   * A user's certificate: subject {@code CN=name}, an rfc822Name subjectAltName when {@code email}
   * is given, EKU clientAuth and IKE intermediate, keyUsage digitalSignature.
   */
  public static CertificateSpec client(String name, String email, Instant now, int days) {
    List<String> emails = List.of();
    if (email != null) {
      if (!EMAIL.matcher(email).matches()) {
        throw new PkiException("not an e-mail address: " + email);
      }
      emails = List.of(email);
    }
    return spec(
        "CN=" + plain(name),
        now,
        days,
        false,
        EnumSet.of(KeyUsage.DIGITAL_SIGNATURE),
        List.of(CertificateSpec.EKU_CLIENT_AUTH, CertificateSpec.EKU_IKE_INTERMEDIATE),
        List.of(),
        List.of(),
        emails);
  }

  private static CertificateSpec spec(
      String subject,
      Instant now,
      int days,
      boolean ca,
      Set<KeyUsage> usage,
      List<String> eku,
      List<String> dns,
      List<String> ips,
      List<String> emails) {
    if (days < 1) {
      throw new PkiException("validity must be at least one day, not " + days);
    }
    Instant notBefore = now.minus(BACKDATE);
    Instant notAfter = notBefore.plus(Duration.ofDays(days));
    return new CertificateSpec(subject, notBefore, notAfter, ca, usage, eku, dns, ips, emails);
  }

  private static String checkedHost(String name) {
    if (!IPV4.matcher(name).matches() && !DNS_NAME.matcher(name).matches()) {
      throw new PkiException("not a DNS name or IPv4 address: " + name);
    }
    return name;
  }

  /** A name that needs no escaping in RFC 4514 text. */
  private static String plain(String name) {
    if (!PLAIN_NAME.matcher(name).matches() || name.isBlank()) {
      throw new PkiException(
          "name '" + name + "': use 1-64 letters, digits, spaces and . _ @ + - only");
    }
    return name.strip();
  }
}
