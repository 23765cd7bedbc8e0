package dev.cara.agent.spi;

import dev.cara.sdk.Project;

import java.util.List;

/**
 * The agent's link to the control plane for projects: which projects are bound to this node, and
 * where the agent reports what it did with them. Over HTTP that is
 * {@code GET /api/v1/projects?nodeRef=<node>} and {@code PATCH /api/v1/projects/<name>/status}
 * with {@code {phase, reason, message}}; tests use an in-memory fake.
 *
 * <p>Errors keep the SDK's types: {@link dev.cara.sdk.ConflictException} when the server refuses a
 * report (the project moved to another node, or the step is no longer the agent's), and
 * {@link dev.cara.sdk.UnavailableException} when the server cannot be reached.
 */
public interface AssignedProjects {
    /** Every project whose {@code status.nodeRef} is this node, in any phase. */
    List<Project> list();

    /** Reports a project's phase as the agent sees it. */
    void report(String project, StatusReport report);
}
