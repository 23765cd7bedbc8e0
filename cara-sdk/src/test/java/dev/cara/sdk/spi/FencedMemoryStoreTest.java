package dev.cara.sdk.spi;

import dev.cara.sdk.testkit.NodeStoreContract;

/**
 * The storage contract on a {@link MemoryStore#withElection()}: the same store with real terms, so
 * the kit's fencing test runs in the SDK's own build, without a database.
 */
class FencedMemoryStoreTest extends NodeStoreContract {

    @Override
    protected NodeStore newStore() {
        return MemoryStore.withElection();
    }

    @Override
    protected boolean depose(NodeStore store, Fence fence) {
        ((MemoryStore) store).depose();
        return true;
    }

    /** {@link MemoryStoreTest} runs the model over the same code; the kit's minimum is plenty here. */
    @Override
    protected int modelSequences() {
        return 0;
    }
}
