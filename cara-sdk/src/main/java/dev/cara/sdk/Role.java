package dev.cara.sdk;

import java.util.Locale;

/**
 * What an identity may do. Each role carries its own rule, so that adding one means writing its rule
 * beside it. Reads (get, list, watch) never change anything; tokens are only for admins to see, since
 * their list tells who can reach the fleet.
 */
public enum Role {
    /** Everything, including tokens. */
    ADMIN {
        @Override
        Access decide(Identity who, Verb verb, Resource resource) {
            return Access.allow();
        }
    },
    /** Read and watch nodes and the server's version and metrics; never tokens, never a write. */
    VIEWER {
        @Override
        Access decide(Identity who, Verb verb, Resource resource) {
            if (resource.kind().equals(Resource.TOKEN)) {
                return denied(who, verb, resource, "only admins manage tokens");
            }
            return verb.isRead() ? Access.allow() : denied(who, verb, resource, "viewers may only read and watch");
        }
    },
    /**
     * An agent's first credential: it may register a node (and learn the server's version), and the
     * answer to that registration carries the node's own credential, which it uses from then on.
     */
    AGENT_BOOTSTRAP {
        @Override
        Access decide(Identity who, Verb verb, Resource resource) {
            boolean register = verb == Verb.CREATE && resource.kind().equals(Resource.NODE);
            boolean version = verb == Verb.GET && resource.kind().equals(Resource.VERSION);
            return register || version ? Access.allow()
                    : denied(who, verb, resource, "bootstrap tokens may only register a node");
        }
    },
    /**
     * A node's own credential: read, heartbeat and re-register its own node, read the server's
     * version, and for the projects bound to its node: list and watch them (asking for
     * {@code nodeRef} = its node), read them and report their status. Re-registering (create) is
     * allowed so that an agent whose node an operator deleted registers again with the credential it
     * stored; it cannot take another node's name.
     */
    NODE {
        @Override
        Access decide(Identity who, Verb verb, Resource resource) {
            if (verb == Verb.GET && resource.kind().equals(Resource.VERSION)) {
                return Access.allow();
            }
            if (resource.kind().equals(Resource.PROJECT)) {
                return decideProject(who, verb, resource);
            }
            boolean own = resource.kind().equals(Resource.NODE) && resource.name().equals(who.node());
            boolean mayDo = verb == Verb.GET || verb == Verb.HEARTBEAT || verb == Verb.CREATE;
            return own && mayDo ? Access.allow()
                    : denied(who, verb, resource, "node credentials may only read, heartbeat and register their own node \""
                    + who.node() + "\"");
        }
    };

    /**
     * Whether {@code who}, whose role this is, may do {@code verb} to {@code resource}.
     * {@link Authorizer#standard()} asks this.
     */
    abstract Access decide(Identity who, Verb verb, Resource resource);

    /** The role as the API and the CLI spell it: {@code admin}, {@code agent-bootstrap}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The role a user named.
     *
     * @throws InvalidException naming the field and the roles there are
     */
    public static Role parse(String field, String text) {
        if (text != null) {
            for (Role r : values()) {
                if (r.word().equals(text)) {
                    return r;
                }
            }
        }
        throw new InvalidException(field, text, "one of admin, viewer, agent-bootstrap, node");
    }

    /** A node credential on projects: only those bound to its own node, and never a write but a report. */
    private static Access decideProject(Identity who, Verb verb, Resource resource) {
        boolean collectionVerb = verb == Verb.LIST || verb == Verb.WATCH;
        boolean objectVerb = verb == Verb.GET || verb == Verb.REPORT;
        if (!(collectionVerb ? resource.isCollection() : objectVerb && !resource.isCollection())) {
            return denied(who, verb, resource, "node credentials may only list, watch and read the projects on their own node \""
                    + who.node() + "\" and report their status");
        }
        boolean own = resource.node().equals(who.node());
        if (collectionVerb) {
            return own ? Access.allow() : denied(who, verb, resource, "node credentials may " + verb.word()
                    + " only the projects on their own node: add ?nodeRef=" + who.node());
        }
        return own ? Access.allow() : denied(who, verb, resource, "it is bound to "
                + (resource.node().isEmpty() ? "no node" : "node \"" + resource.node() + "\"")
                + ", not to this credential's node \"" + who.node() + "\"");
    }

    private static Access denied(Identity who, Verb verb, Resource resource, String why) {
        return Access.deny(who.describe() + " may not " + verb.word() + " " + resource.describe() + ": " + why);
    }
}
