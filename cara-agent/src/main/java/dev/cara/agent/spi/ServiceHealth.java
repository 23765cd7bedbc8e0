package dev.cara.agent.spi;

import java.util.Objects;

/**
 * What the runtime sees of one service.
 *
 * @param service the service's name in the project's spec
 * @param state   where it is; never null
 * @param reason  for a FAILED service a short CamelCase reason ({@code Exited}, {@code StartFailed}),
 *                else {@code null}
 * @param message for a FAILED service what happened in words ({@code exited with code 1}), else
 *                {@code null}
 */
public record ServiceHealth(String service, ServiceState state, String reason, String message) {
    public ServiceHealth {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
    }

    public static ServiceHealth running(String service) {
        return new ServiceHealth(service, ServiceState.RUNNING, null, null);
    }

    public static ServiceHealth starting(String service) {
        return new ServiceHealth(service, ServiceState.STARTING, null, null);
    }

    public static ServiceHealth failed(String service, String reason, String message) {
        return new ServiceHealth(service, ServiceState.FAILED, Objects.requireNonNull(reason, "reason"),
                Objects.requireNonNull(message, "message"));
    }
}
