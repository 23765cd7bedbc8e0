package dev.cara.store.jdbc;

import dev.cara.sdk.Node;

/**
 * A node as a database row holds it, with the row's {@code revision}: the compare-and-set token
 * that every write to the row checks and replaces.
 */
record StoredRow(Node node, long revision) {
}
