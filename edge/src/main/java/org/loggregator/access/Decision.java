package org.loggregator.access;

import java.util.Objects;

/**
 * What an authorizer concluded about one request: allowed, or refused for a reason with one
 * sentence for the client. The sentence never repeats anything the request carried.
 *
 * @param refusal null when allowed
 * @param sentence what to fix, for the client; empty when allowed
 */
public record Decision(Refusal refusal, String sentence) {
  /** The one allowing decision. */
  public static final Decision ALLOW = new Decision(null, "");

  public Decision {
    Objects.requireNonNull(sentence, "sentence");
  }

  /** A refusal for {@code reason}, telling the client {@code sentence}. */
  public static Decision refuse(Refusal reason, String sentence) {
    return new Decision(Objects.requireNonNull(reason, "reason"), sentence);
  }

  public boolean allowed() {
    return refusal == null;
  }
}
