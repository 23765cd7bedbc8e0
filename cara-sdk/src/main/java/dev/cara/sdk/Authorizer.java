package dev.cara.sdk;

/**
 * Decides whether an identity may do something: a pure function of who, what and on what, so that it
 * can be tested exhaustively and asked on every request without a store. The {@link #standard()} one
 * applies each {@link Role}'s rule; an embedding application may wrap it with rules of its own.
 */
@FunctionalInterface
public interface Authorizer {
    Access decide(Identity who, Verb verb, Resource resource);

    /** Each role's own rule ({@link Role#decide}). */
    static Authorizer standard() {
        return (who, verb, resource) -> who.role().decide(who, verb, resource);
    }
}
