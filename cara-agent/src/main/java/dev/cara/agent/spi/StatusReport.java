package dev.cara.agent.spi;

import dev.cara.sdk.ProjectPhase;

import java.util.Objects;

/**
 * What an agent writes to a project's status: the body of {@code PATCH .../status}.
 *
 * @param phase   Running, Failed or Terminated
 * @param reason  short CamelCase ({@code Started}, {@code ImageNotFound}, {@code Exited}, {@code TornDown})
 * @param message the same in words, naming the service where one is at fault
 */
public record StatusReport(ProjectPhase phase, String reason, String message) {
    public StatusReport {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
