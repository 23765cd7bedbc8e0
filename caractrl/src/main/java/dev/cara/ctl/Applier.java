package dev.cara.ctl;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ObjectMeta;

import java.util.Objects;

/**
 * Writes desired state declaratively: {@code apply} creates a node or replaces its labels,
 * annotations and spec, and {@code cordon}/{@code uncordon} flip {@code spec.unschedulable}.
 *
 * <p>Each write is a read-modify-write guarded by the {@code resourceVersion} just read. When another
 * writer got in between (409), the write is redone from a fresh read, at most {@link #ATTEMPTS}
 * times; heartbeats never cause this, since they do not change the resourceVersion. A manifest that
 * carries its own resourceVersion asks for exactly that version, so its conflict is reported, not
 * retried.
 */
final class Applier {
    static final int ATTEMPTS = 5;

    enum Outcome {
        CREATED("created"), CONFIGURED("configured"), UNCHANGED("unchanged");

        private final String word;

        Outcome(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }
    }

    private final CaraClient client;

    Applier(CaraClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    Outcome apply(Node manifest) {
        String name = manifest.name();
        String pinnedVersion = manifest.metadata().resourceVersion();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Node current;
            try {
                current = client.get(name);
            } catch (NotFoundException e) {
                try {
                    client.register(manifest);
                    return Outcome.CREATED;
                } catch (AlreadyExistsException raced) {
                    continue; // someone registered it meanwhile: update it instead
                }
            }
            if (current.sameDesiredState(manifest)) {
                return Outcome.UNCHANGED;
            }
            Node desired = current.withMetadata(new ObjectMeta(name, manifest.metadata().labels(),
                            manifest.metadata().annotations(), current.metadata().createdAt(),
                            current.metadata().updatedAt(),
                            pinnedVersion != null ? pinnedVersion : current.metadata().resourceVersion()))
                    .withSpec(manifest.spec());
            try {
                client.update(desired);
                return Outcome.CONFIGURED;
            } catch (AlreadyExistsException e) {
                throw e;
            } catch (ConflictException e) {
                if (pinnedVersion != null) {
                    throw e;
                }
            } catch (NotFoundException e) {
                // Deleted between the read and the write: the next round creates it.
            }
        }
        throw gaveUp(name);
    }

    /** Sets {@code spec.unschedulable}; false when it already had that value. */
    boolean setUnschedulable(String name, boolean unschedulable) {
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
        throw gaveUp(name);
    }

    private static ConflictException gaveUp(String name) {
        return new ConflictException("node \"" + name + "\" kept changing while it was being written (" + ATTEMPTS
                + " attempts, each refused for a newer resourceVersion); try again");
    }
}
