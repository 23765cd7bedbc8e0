package dev.cara.sdk;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane's {@link ControlPlaneListener}s and how they are told: on the caller's thread,
 * one after another, each failure logged so that the others still hear the news. The list is
 * copy-on-write, so adding a listener never races with telling them.
 */
final class Listeners {
    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());

    private final List<ControlPlaneListener> listeners = new CopyOnWriteArrayList<>();

    Listeners(List<ControlPlaneListener> initial) {
        listeners.addAll(initial);
    }

    void add(ControlPlaneListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void transition(StateTransition t) {
        tell(l -> l.transition(t));
    }

    void tell(Consumer<ControlPlaneListener> event) {
        for (ControlPlaneListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "a control-plane listener failed", ex);
            }
        }
    }
}
