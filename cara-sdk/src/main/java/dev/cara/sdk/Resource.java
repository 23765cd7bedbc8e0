package dev.cara.sdk;

import java.util.Objects;

/**
 * What a request is about: a kind ({@code node}, {@code token}, {@code project}, {@code version},
 * {@code metrics}) and, for one object, its name. A collection (a list, a watch, a create before the
 * name is known) has the empty name. A project also carries the node it is bound to, or for a
 * collection the node the request filters on, because a node credential's rights depend on it.
 *
 * @param kind the resource kind, lowercase
 * @param name the object's name, or empty for the collection
 * @param node for a project, the node it is bound to (a collection: the {@code nodeRef} asked for);
 *             empty for none, and for every other kind
 */
public record Resource(String kind, String name, String node) {
    public static final String NODE = "node";
    public static final String TOKEN = "token";
    public static final String VERSION = "version";
    public static final String METRICS = "metrics";
    public static final String PROJECT = "project";
    /** The event history: read (list, watch) only; no role but admin and viewer may. */
    public static final String EVENT = "event";

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
        if (kind.isBlank()) {
            throw new IllegalArgumentException("a resource kind must not be blank");
        }
    }

    /** A resource bound to no node: every kind but a project. */
    public Resource(String kind, String name) {
        this(kind, name, "");
    }

    /** @param node the node the project is bound to, or {@code null} for none */
    public static Resource project(String name, String node) {
        return new Resource(PROJECT, name, node == null ? "" : node);
    }

    /** @param nodeRef the node a list or watch filters on, or {@code null} for none */
    public static Resource projects(String nodeRef) {
        return project("", nodeRef);
    }

    public static Resource node(String name) {
        return new Resource(NODE, name);
    }

    public static Resource nodes() {
        return new Resource(NODE, "");
    }

    public static Resource token(String id) {
        return new Resource(TOKEN, id);
    }

    public static Resource tokens() {
        return new Resource(TOKEN, "");
    }

    public static Resource events() {
        return new Resource(EVENT, "");
    }

    public boolean isCollection() {
        return name.isEmpty();
    }

    /** As messages say it: {@code node "w1"}, or {@code nodes} for the collection. */
    public String describe() {
        return isCollection() ? kind + "s" : kind + " \"" + name + "\"";
    }
}
