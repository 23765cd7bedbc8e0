package dev.cara.sdk;

import java.time.Instant;

/**
 * What deleting a project does, by its phase: one pure decision ({@link #of}) that the API's DELETE
 * and the expiry controller share.
 *
 * <ul>
 *   <li>Pending, Failed or Terminated: nothing runs on a node, so the record goes at once (HTTP 204).</li>
 *   <li>Scheduled or Running: the project turns Terminating; its node's agent tears it down and reports
 *       Terminated, and the control plane then removes the record (HTTP 202).</li>
 *   <li>Terminating: already under way; nothing changes (HTTP 202).</li>
 *   <li>Forced: the record goes at once whatever the phase (HTTP 204); containers on its node may be
 *       left behind, which the caller should log.</li>
 * </ul>
 */
public enum ProjectDeletion {
    /** Remove the record now. */
    REMOVE {
        @Override
        public boolean accepted() {
            return false;
        }
    },
    /** Turn the project Terminating and let its node's agent tear it down. */
    TERMINATE {
        @Override
        public boolean accepted() {
            return true;
        }
    },
    /** It is Terminating already: leave it as it is. */
    ALREADY_TERMINATING {
        @Override
        public boolean accepted() {
            return true;
        }
    };

    /** Reason of the {@value ProjectStatus#PHASE} condition of a project that a client deleted. */
    public static final String DELETED = "Deleted";

    /**
     * Whether the delete is only under way when the call returns (HTTP 202), rather than done (204).
     */
    public abstract boolean accepted();

    /** What deleting {@code project} does; {@code force} removes it whatever its phase. */
    public static ProjectDeletion of(Project project, boolean force) {
        if (force) {
            return REMOVE;
        }
        return switch (project.phase()) {
            case PENDING, FAILED, TERMINATED -> REMOVE;
            case SCHEDULED, RUNNING -> TERMINATE;
            case TERMINATING -> ALREADY_TERMINATING;
        };
    }

    /**
     * The status of a project this decision turns Terminating, with the {@value ProjectStatus#PHASE}
     * condition giving {@code reason} and {@code message}. Run it inside the store's status mutation,
     * so that it sees the current phase.
     *
     * @throws ConflictException when the project is no longer Scheduled or Running
     */
    public static ProjectStatus terminate(Project project, String reason, String message, Instant now) {
        return project.status().transition(project.name(), ProjectPhase.TERMINATING, ProjectPhase.Actor.CONTROL_PLANE,
                project.status().nodeRef(), reason, message, now);
    }

    /** Whether a forced removal of {@code project} may leave containers on a node (to log it). */
    public static boolean mayLeaveContainers(Project project) {
        return project.phase().holdsNode() && project.status().nodeRef() != null;
    }
}
