package dev.cara.store.mapdb;

import dev.cara.sdk.Node;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A child of {@link MapDbLockIT}. With {@code hold FILE}: opens the store, registers a node, prints
 * {@code LOCKED}, and closes the store and exits when its stdin closes. With {@code try FILE}: tries to
 * open the store and prints {@code OPENED} or {@code REFUSED <message>}.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        if (args[0].equals("hold")) {
            try (MapDbStore store = MapDbStore.builder().path(file).open()) {
                store.create(Node.builder("held").hostname("held.lan").build());
                System.out.println("LOCKED");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the parent to close our stdin
                }
            }
            System.out.println("CLOSED");
            return;
        }
        try (MapDbStore store = MapDbStore.builder().path(file).open()) {
            System.out.println("OPENED " + store.list().nodes().size());
        } catch (MapDbStoreException e) {
            System.out.println("REFUSED " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }
}
