package dev.cara.sdk;

import java.util.Objects;

/**
 * What {@link CaraClient#deleteProject} did: the record is gone ({@code 204}), or the project turned
 * (or already was) Terminating and its node's agent is tearing it down ({@code 202}); the control
 * plane removes the record once the agent reports Terminated.
 * <pre>{@code
 * switch (client.deleteProject("web", false)) {
 *     case ProjectDeleteOutcome.Removed r -> out.println("project/" + r.name() + " deleted");
 *     case ProjectDeleteOutcome.Terminating t -> out.println("project/" + t.name() + " terminating");
 * }
 * }</pre>
 */
public sealed interface ProjectDeleteOutcome {
    /** The project the call was about. */
    String name();

    /** Whether the delete is only under way when the call returns (HTTP 202), rather than done (204). */
    boolean accepted();

    /** The record was removed at once: the project was Pending, Failed or Terminated, or the delete was forced. */
    record Removed(String name) implements ProjectDeleteOutcome {
        public Removed {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public boolean accepted() {
            return false;
        }
    }

    /** @param project the project as the server left it, Terminating */
    record Terminating(Project project) implements ProjectDeleteOutcome {
        public Terminating {
            Objects.requireNonNull(project, "project");
        }

        @Override
        public String name() {
            return project.name();
        }

        @Override
        public boolean accepted() {
            return true;
        }
    }
}
