package dev.coati.ike;

/** What a task says after a step (strongSwan's task status). */
public enum Status {
  /** The exchange is complete. */
  DONE,
  /** More messages are expected. */
  NEED_MORE,
  /** The exchange failed; the task has said why. */
  FAILED
}
