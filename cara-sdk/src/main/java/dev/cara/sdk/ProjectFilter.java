package dev.cara.sdk;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which projects a list or a watch wants: {@code GET /api/v1/projects?phase=...&nodeRef=...&labelSelector=...}.
 * The phases are ORed (any of them; none given means every phase), and the parts are ANDed.
 *
 * @param phases   the phases wanted; empty for all
 * @param nodeRef  only the projects bound to this node, or {@code null} for any
 * @param selector the labels the project must carry
 */
public record ProjectFilter(Set<ProjectPhase> phases, String nodeRef, LabelSelector selector) implements Predicate<Project> {
    /** Every project. */
    public static final ProjectFilter ALL = new ProjectFilter(Set.of(), null, LabelSelector.everything());

    public ProjectFilter {
        phases = phases == null || phases.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(phases));
        nodeRef = Condition.blankToNull(nodeRef);
        selector = selector == null ? LabelSelector.everything() : selector;
    }

    /** The projects bound to {@code node}. */
    public static ProjectFilter onNode(String node) {
        return new ProjectFilter(Set.of(), Objects.requireNonNull(node, "node"), null);
    }

    /** The projects in any of these phases. */
    public static ProjectFilter inPhases(ProjectPhase... phases) {
        return new ProjectFilter(Set.of(phases), null, null);
    }

    @Override
    public boolean test(Project p) {
        return (phases.isEmpty() || phases.contains(p.phase()))
                && (nodeRef == null || nodeRef.equals(p.status().nodeRef()))
                && selector.matches(p.metadata().labels());
    }
}
