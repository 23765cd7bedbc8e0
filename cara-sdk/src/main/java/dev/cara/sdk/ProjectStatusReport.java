package dev.cara.sdk;

import java.util.Objects;

/**
 * What an agent reports about a project on its node: the body of {@code PATCH
 * /api/v1/projects/{name}/status}, {@code {phase, reason, message}}. Whether the step is allowed is
 * {@link ProjectStatus#agentReport}'s decision, not this record's.
 *
 * @param phase   the phase the agent saw the project reach (Running, Failed or Terminated); never null
 * @param reason  a one-word, CamelCase reason, or {@code null}
 * @param message a sentence for people, or {@code null}
 */
public record ProjectStatusReport(ProjectPhase phase, String reason, String message) {
    public ProjectStatusReport {
        Objects.requireNonNull(phase, "phase");
        reason = Condition.blankToNull(reason);
        message = Condition.blankToNull(message);
    }
}
