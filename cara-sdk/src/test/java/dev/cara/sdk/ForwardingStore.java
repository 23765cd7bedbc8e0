package dev.cara.sdk;

import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.ForwardingNodeStore;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.spi.TokenStore;

/**
 * A store that hands every node call to another and keeps no projects, events or tokens (answering
 * as the SPI's defaults do, so that tests see a store of nodes only); tests override the calls they
 * want to block or count.
 */
public class ForwardingStore extends ForwardingNodeStore {
    public ForwardingStore(NodeStore inner) {
        super(inner);
    }

    @Override
    public ProjectStore projects() {
        throw new UnsupportedOperationException("the store " + describe() + " keeps no projects; give the control plane"
                + " a ProjectStore with ControlPlane.builder().projects(...)");
    }

    @Override
    public EventStore events() {
        throw new UnsupportedOperationException(describe() + " keeps no events");
    }

    @Override
    public EventStore events(EventPolicy policy) {
        return events();
    }

    @Override
    public TokenStore tokens() {
        throw new UnsupportedOperationException("the store " + describe() + " keeps no tokens; run the server with"
                + " --auth none, or use a store that keeps them (memory:, mapdb:, jdbc:)");
    }

    @Override
    public String describe() {
        return "forwarding to " + delegate.describe();
    }
}
