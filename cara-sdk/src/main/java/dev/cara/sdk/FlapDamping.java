package dev.cara.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * When a node counts as flapping, and for how long it is then held NotReady: more than
 * {@link #maxFlaps()} NotReady-to-Ready transitions within {@link #window()}, held until it has gone
 * {@link #holdOff()} without being NotReady. Off in the SDK ({@link #disabled()}); the server turns it
 * on with {@link #recommended()}: 5 flaps in 10 minutes, 5 minutes' hold-off.
 *
 * <p>Immutable. The builder checks each setting when it is set, with the checks the constructor makes.
 *
 * @param enabled  whether damping is on; when off, the other settings are not used
 * @param maxFlaps how many NotReady-to-Ready transitions within the window are still tolerated; at least 1
 * @param window   how far back flaps are counted; positive
 * @param holdOff  how long a held node must go without being NotReady before it is released; positive
 */
public record FlapDamping(boolean enabled, int maxFlaps, Duration window, Duration holdOff) {
    public static final int RECOMMENDED_MAX_FLAPS = 5;
    public static final Duration RECOMMENDED_WINDOW = Duration.ofMinutes(10);
    public static final Duration RECOMMENDED_HOLD_OFF = Duration.ofMinutes(5);

    private static final FlapDamping DISABLED = new FlapDamping(false, RECOMMENDED_MAX_FLAPS, RECOMMENDED_WINDOW,
            RECOMMENDED_HOLD_OFF);

    /** @throws InvalidException naming the setting that is out of range */
    public FlapDamping {
        requireMaxFlaps(maxFlaps);
        positive("flapDamping.window", window);
        positive("flapDamping.holdOff", holdOff);
    }

    /** No damping: a node's state is what the state rule says. The SDK's default. */
    public static FlapDamping disabled() {
        return DISABLED;
    }

    /** 5 flaps in 10 minutes hold a node for 5 minutes of stability: what the server runs with. */
    public static FlapDamping recommended() {
        return builder().build();
    }

    /** Damping on, starting from the recommended settings. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return enabled ? "FlapDamping[more than " + maxFlaps + " flaps in " + Durations.format(window) + " hold for "
                + Durations.format(holdOff) + " of stability]" : "FlapDamping[disabled]";
    }

    /** Builds an enabled {@link FlapDamping}; unset values are the recommended ones. */
    public static final class Builder {
        private int maxFlaps = RECOMMENDED_MAX_FLAPS;
        private Duration window = RECOMMENDED_WINDOW;
        private Duration holdOff = RECOMMENDED_HOLD_OFF;

        private Builder() {
        }

        /** @throws InvalidException unless at least 1 */
        public Builder maxFlaps(int value) {
            this.maxFlaps = requireMaxFlaps(value);
            return this;
        }

        /** @throws InvalidException unless positive */
        public Builder window(Duration value) {
            this.window = positive("flapDamping.window", value);
            return this;
        }

        /** @throws InvalidException unless positive */
        public Builder holdOff(Duration value) {
            this.holdOff = positive("flapDamping.holdOff", value);
            return this;
        }

        public FlapDamping build() {
            return new FlapDamping(true, maxFlaps, window, holdOff);
        }
    }

    private static int requireMaxFlaps(int value) {
        if (value < 1) {
            throw new InvalidException("flapDamping.maxFlaps", Integer.toString(value),
                    "at least 1 (to turn damping off, leave it disabled)");
        }
        return value;
    }

    private static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidException(field, EventFolding.shown(value), "a positive duration, for example 5m");
        }
        return value;
    }
}
