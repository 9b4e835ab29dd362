package dev.coati.pool;

import dev.coati.util.Ipv4Address;

/**
 * An address given to one session of one user since {@code sinceMillis} (a time the caller passed
 * in); {@code fixed} when it is the user's static address.
 */
public record Lease(
    String user, String sessionId, Ipv4Address address, long sinceMillis, boolean fixed) {}
