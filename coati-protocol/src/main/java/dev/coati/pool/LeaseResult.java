package dev.coati.pool;

/** The outcome of {@link AddressPool#lease}: an address, or why there is none. */
public sealed interface LeaseResult {
  /** An address was leased (or the session already had this one). */
  record Granted(Lease lease) implements LeaseResult {}

  /** No address: the reason is written for the operator's log (pool exhausted, limit reached). */
  record Refused(Reason reason, String message) implements LeaseResult {}

  /** Why a lease was refused. */
  enum Reason {
    EXHAUSTED,
    SESSION_LIMIT,
    STATIC_IN_USE,
    STATIC_RESERVED_FOR_OTHER
  }
}
