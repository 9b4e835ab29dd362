package dev.coati.ike;

/**
 * Events the engine reports to the layer above (server: install ESP SAs, accounting, logs). All
 * methods default to doing nothing. Implementations must not call back into the engine
 * synchronously.
 */
public interface IkeListener {
  default void ikeEstablished(IkeSaView sa) {}

  /** The IKE SA is gone (deleted by either side, expired or failed to establish). */
  default void ikeDeleted(IkeSaView sa, String reason) {}

  /** A child (ESP) SA pair is negotiated: install it. Its keymat belongs to the receiver now. */
  default void childEstablished(IkeSaView sa, ChildSa child) {}

  /** A child SA is gone: remove it from the data plane. */
  default void childDeleted(IkeSaView sa, ChildSa child) {}

  /** The peer sent INITIAL-CONTACT: older SAs with the same identity may be dropped. */
  default void initialContact(IkeSaView sa) {}

  /** A notify the peer sent that the engine did not act on (errors, unknown status types). */
  default void notifyReceived(IkeSaView sa, int notifyType) {}

  /**
   * We are the Xauth client and the gateway sent our configuration (its REPLY to our pull, or its
   * pushed SET); it may come twice when the gateway pushes and we pull too.
   */
  default void modeConfigReceived(IkeSaView sa, RemoteAccess.ClientConfig config) {}

  /** A quick mode exchange failed (reason as text, for the log). */
  default void childFailed(IkeSaView sa, String reason) {}
}
