package dev.cara.sdk;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes desired state declaratively over any {@link CaraClient}: {@link #apply} creates a node or
 * replaces its labels, annotations and spec, and {@link #setUnschedulable} (cordon and uncordon)
 * flips {@code spec.unschedulable}. The CLI uses it; so can an application that reconciles nodes
 * from a source of its own.
 *
 * <p>Each write is a read-modify-write guarded by the {@code resourceVersion} just read. When another
 * writer got in between (409), the write is redone from a fresh read, at most {@link #ATTEMPTS}
 * times; heartbeats never cause this, since they do not change the resourceVersion. A manifest that
 * carries its own resourceVersion asks for exactly that version, so its conflict is reported, not
 * retried.
 */
public final class NodeApplier {
    /** How many read-modify-write rounds a write gets before it gives up on a busy node. */
    public static final int ATTEMPTS = 5;

    /** What {@link #apply} did. */
    public enum Outcome {
        CREATED("created"), CONFIGURED("configured"), UNCHANGED("unchanged");

        private final String word;

        Outcome(String word) {
            this.word = word;
        }

        /** The word kubectl-style tools print: {@code node/NAME created}. */
        public String word() {
            return word;
        }
    }

    private final CaraClient client;

    public NodeApplier(CaraClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Creates the node, or replaces its labels, annotations and spec with the manifest's.
     *
     * @throws ConflictException when the manifest pins a stale resourceVersion, or the node kept
     *                           changing for {@link #ATTEMPTS} rounds
     */
    public Outcome apply(Node manifest) {
        return apply("node", manifest, client::get, client::register, Node::sameDesiredState,
                (current, metadata) -> current.withMetadata(metadata).withSpec(manifest.spec()), client::update);
    }

    /**
     * The read-modify-write rounds of an apply, the same for every kind: read; create when missing
     * (and update instead when a create races); nothing when the desired state is already the
     * manifest's; else write {@code desired} (the current object with the manifest's labels,
     * annotations and spec, at the version just read or the one the manifest pins), again from a
     * fresh read when another writer got in first.
     *
     * @param kind    {@code node}, {@code project}: how the message of a give-up names the object
     * @param desired the object to write, from the current one and the metadata to give it; may
     *                refuse a change that no retry would help ({@link ProjectApplier}'s phase rule)
     */
    static <R extends ApiObject> Outcome apply(String kind, R manifest, Function<String, R> get, Consumer<R> create,
                                               BiPredicate<R, R> sameDesiredState, BiFunction<R, ObjectMeta, R> desired,
                                               Consumer<R> update) {
        String name = manifest.name();
        String pinnedVersion = manifest.metadata().resourceVersion();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            R current;
            try {
                current = get.apply(name);
            } catch (NotFoundException e) {
                try {
                    create.accept(manifest);
                    return Outcome.CREATED;
                } catch (AlreadyExistsException raced) {
                    continue; // someone created it meanwhile: update it instead
                }
            }
            if (sameDesiredState.test(current, manifest)) {
                return Outcome.UNCHANGED;
            }
            ObjectMeta m = current.metadata();
            R write = desired.apply(current, new ObjectMeta(name, manifest.metadata().labels(),
                    manifest.metadata().annotations(), m.createdAt(), m.updatedAt(),
                    pinnedVersion != null ? pinnedVersion : m.resourceVersion()));
            if (wrote(() -> update.accept(write), pinnedVersion != null)) {
                return Outcome.CONFIGURED;
            }
        }
        throw gaveUp(kind, name);
    }

    /**
     * The write of one read-modify-write round: true when it went through, false when the next round
     * should read again (a newer version got in first, or the resource was deleted meanwhile and the
     * next round creates it). A conflict is final when the manifest pinned its own version.
     */
    private static boolean wrote(Runnable write, boolean pinned) {
        try {
            write.run();
            return true;
        } catch (AlreadyExistsException e) {
            throw e;
        } catch (ConflictException e) {
            if (pinned) {
                throw e;
            }
            return false;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Sets {@code spec.unschedulable}; false when it already had that value. */
    public boolean setUnschedulable(String name, boolean unschedulable) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Node current = client.get(name);
            if (current.spec().unschedulable() == unschedulable) {
                return false;
            }
            try {
                client.update(current.withSpec(current.spec().withUnschedulable(unschedulable)));
                return true;
            } catch (AlreadyExistsException e) {
                throw e;
            } catch (ConflictException e) {
                // Changed by someone else since the read: read again.
            }
        }
        throw gaveUp("node", name);
    }

    private static ConflictException gaveUp(String kind, String name) {
        return new ConflictException(kind + " \"" + name + "\" kept changing while it was being written (" + ATTEMPTS
                + " attempts, each refused for a newer resourceVersion); try again");
    }
}
