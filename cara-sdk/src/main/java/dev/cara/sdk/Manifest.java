package dev.cara.sdk;

/**
 * One manifest of either kind, as a file that mixes Node and Project documents holds them: what
 * {@link CaraJson#parseAnyManifest} reads, told apart by the document's {@code kind}.
 * <pre>{@code
 * switch (CaraJson.parseAnyManifest(json)) {
 *     case Manifest.OfNode n -> client.apply(n.node().validate());
 *     case Manifest.OfProject p -> client.apply(p.project().validate());
 * }
 * }</pre>
 */
public sealed interface Manifest {
    /** The kinds a manifest may have, in the words of an error about any other. */
    String KINDS = "\"" + Node.KIND + "\" or \"" + Project.KIND + "\"";

    /** The manifest's {@code metadata.name}. */
    String name();

    /** The manifest's kind, {@code Node} or {@code Project}. */
    String kind();

    /** @param node the manifest as {@link CaraJson#parseManifest} reads it, not yet validated */
    record OfNode(Node node) implements Manifest {
        public OfNode {
            java.util.Objects.requireNonNull(node, "node");
        }

        @Override
        public String name() {
            return node.metadata().name();
        }

        @Override
        public String kind() {
            return Node.KIND;
        }
    }

    /** @param project the manifest as {@link CaraJson#parseProjectManifest} reads it, not yet validated */
    record OfProject(Project project) implements Manifest {
        public OfProject {
            java.util.Objects.requireNonNull(project, "project");
        }

        @Override
        public String name() {
            return project.name();
        }

        @Override
        public String kind() {
            return Project.KIND;
        }
    }
}
