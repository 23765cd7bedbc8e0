package dev.cara.agent;

import picocli.CommandLine.Option;

/**
 * {@code --server-url URL} (alias {@code --server}), shared by the agent and {@code simulate} so that
 * both spell it alike. Not given, it is null: the agent then reads SERVER_URL from its layered
 * settings, {@code simulate} from the environment ({@link #orEnvironment}).
 */
final class ServerOption {
    @Option(names = {"--server-url", "--server"}, paramLabel = "URL",
            description = "The control plane (SERVER_URL; default http://localhost:8080).")
    String serverUrl;

    /** The flag, else SERVER_URL from the environment, else the default. */
    String orEnvironment() {
        if (serverUrl != null) {
            return serverUrl;
        }
        String env = System.getenv(AgentSettings.SERVER_URL);
        return env != null && !env.isBlank() ? env : AgentSettings.DEFAULTS.get(AgentSettings.SERVER_URL);
    }
}
