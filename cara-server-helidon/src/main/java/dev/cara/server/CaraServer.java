package dev.cara.server;

import dev.cara.sdk.AuthenticationCache;
import dev.cara.sdk.Authorizer;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.ControlPlaneBuilder;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.Enrollment;
import dev.cara.sdk.FailureLimiter;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.Tokens;
import dev.cara.sdk.spi.Authenticator;
import dev.cara.sdk.DeletionGuard;
import dev.cara.sdk.Durations;
import dev.cara.sdk.Leadership;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running cara server: a store opened by URL, a {@link ControlPlane} over it, and a Helidon
 * WebServer serving {@link #routing}. {@link #start} builds all three; {@link #close} takes them down
 * in the reverse order, gracefully: open watch streams end, in-flight requests finish (up to
 * {@link #GRACE}), then the control plane and the store close.
 *
 * <p>Tests and embedding applications call {@link #start} with {@link ServerSettings}, or reuse the
 * static {@link #routing} with a control plane of their own.
 */
public final class CaraServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CaraServer.class.getName());
    /** How long in-flight requests get to finish at shutdown. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final ServerSettings settings;
    private final NodeStore store;
    private final ControlPlane controlPlane;
    private final WatchStreams watches;
    private final WebServer webServer;
    private final Optional<AdminToken.Outcome> adminToken;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CaraServer(ServerSettings settings, NodeStore store, ControlPlane controlPlane, WatchStreams watches,
                       WebServer webServer, Optional<AdminToken.Outcome> adminToken) {
        this.settings = settings;
        this.adminToken = adminToken;
        this.store = store;
        this.controlPlane = controlPlane;
        this.watches = watches;
        this.webServer = webServer;
    }

    /**
     * Opens the store, starts the control plane and the web server.
     *
     * @throws dev.cara.sdk.InvalidException     when the store URL is not understood
     * @throws UnavailableException when the store cannot be opened
     */
    public static CaraServer start(ServerSettings settings) {
        return start(settings, DeletionGuard.ALLOW_ALL);
    }

    public static CaraServer start(ServerSettings settings, DeletionGuard deletionGuard) {
        Objects.requireNonNull(settings, "settings");
        MeterRegistry registry = Metrics.globalRegistry();
        ServerMetrics metrics = new ServerMetrics(registry);
        NodeStore store = new TimedNodeStore(StoreProvider.openUrl(settings.storeUrl()), metrics);
        ControlPlane controlPlane = null;
        try {
            ControlPlaneBuilder builder = ControlPlane.builder()
                    .store(store)
                    .heartbeatTimeout(settings.heartbeatTimeout())
                    .deletionGuard(deletionGuard)
                    .flapDamping(settings.events().flapDamping())
                    .listener(metrics);
            eventStore(store, settings.events().retention()).ifPresentOrElse(builder::events, builder::noEvents);
            controlPlane = builder.build();
            metrics.observe(controlPlane);
            controlPlane.start();
            WatchStreams watches = new WatchStreams(controlPlane, settings.watchKeepAlive());
            metrics.observeWatches(watches);
            ControlPlane cp = controlPlane;
            ServerSettings.SecuritySettings sec = settings.security();
            Optional<AdminToken.Outcome> admin = Optional.empty();
            Optional<Guard> guard = Optional.empty();
            if (sec.tokens()) {
                // The store's own tokens: one replica's token works on every replica, and survives restarts.
                Tokens tokens = Tokens.over(store.tokens(), Clock.systemUTC());
                admin = Optional.of(AdminToken.ensure(tokens, sec.adminTokenFile()
                        .orElse(settings.dataDirectory().resolve(AdminToken.FILE_NAME)), sec.adminTokenFile().isPresent(),
                        Clock.systemUTC().instant()));
                AuthenticationCache checks = AuthenticationCache.over(Authenticator.tokens(tokens.store(), Clock.systemUTC()),
                        Ticker.system());
                guard = Optional.of(new Guard(Security.required(checks, Authorizer.standard(),
                        FailureLimiter.standard(Ticker.system()), new Enrollment(tokens), sec.openVersion(), sec.openMetrics(),
                        sec.tlsClientCa().isPresent()),
                        new TokensApi(tokens, checks::forgetAll)));
            }
            Optional<Guard> security = guard;
            io.helidon.webserver.WebServerConfig.Builder web = WebServer.builder();
            SocketReadTimeout readTimeout = new SocketReadTimeout(settings.readTimeout());
            if (sec.tls()) {
                web.tls(ServerTls.create(sec));
            }
            WebServer server = web
                    .host(settings.host())
                    .port(settings.port())
                    .maxPayloadSize(Bodies.MAX_BODY)
                    // Blocking sockets: only they honour the read timeout that SocketReadTimeout sets. Over TLS
                    // Helidon's blocking path does not hand the client's certificate to the request (mTLS node
                    // credentials came through as anonymous), so a TLS listener stays on NIO, without the
                    // read timeout for now.
                    .useNio(sec.tls())
                    .connectionOptions(readTimeout)
                    // The wait for a kept-alive connection's next request runs without SO_TIMEOUT (see
                    // SocketReadTimeout): Helidon's idle-connection check bounds it by the same timeout.
                    .idleConnectionTimeout(settings.readTimeout())
                    .idleConnectionPeriod(SocketReadTimeout.idlePeriod(settings.readTimeout()))
                    // HTTP/1.1 with the read timeout's listener, as the only protocol: a discovered default
                    // beside it would make two candidates, and a request line neither claims (HTTP/1.0) would
                    // then be dropped without the 505 that says why.
                    .protocolsDiscoverServices(false)
                    .addProtocol(Http1Config.builder().addReceiveListener(readTimeout.listener()).build())
                    .shutdownHook(false) // Main's hook closes everything in order
                    .shutdownGracePeriod(GRACE)
                    .directHandlers(HttpProblems.directHandlers())
                    .addFeature(ObserveFeature.builder()
                            .addObserver(HealthObserver.builder()
                                    .details(true)
                                    .useSystemServices(false)
                                    .addCheck(storeCheck(store))
                                    .addCheck(leadershipCheck(cp))
                                    .build())
                            .addObserver(MetricsObserver.builder().meterRegistry(registry).build())
                            .build())
                    .routing(r -> {
                        r.addFilter(readTimeout); // outermost: it sees every request end, failed ones too
                        routing(r, cp, watches, metrics, security);
                    })
                    .build()
                    .start();
            return new CaraServer(settings, store, controlPlane, watches, server, admin);
        } catch (RuntimeException e) {
            if (controlPlane != null) {
                controlPlane.close();
            }
            store.close();
            throw e;
        }
    }

    /**
     * The API's routes: REST API v1 and the watch stream over {@code controlPlane}, every error as
     * problem JSON, and request latency into {@code metrics}. Tests reuse this with a server of their own.
     */
    public static void routing(HttpRouting.Builder routing, ControlPlane controlPlane) {
        ServerMetrics metrics = new ServerMetrics(Metrics.globalRegistry());
        metrics.observe(controlPlane);
        WatchStreams watches = new WatchStreams(controlPlane, ServerSettings.DEFAULT_WATCH_KEEPALIVE);
        metrics.observeWatches(watches);
        routing(routing, controlPlane, watches, metrics, Optional.empty());
    }

    /** With tokens on: the filter in front of every route, and the token API behind it. */
    record Guard(Security filter, TokensApi tokens) {
    }

    /**
     * The routes, with {@code guard} when tokens are on. Open mode ({@code --auth none}) adds no
     * security filter at all, so that a heartbeat pays nothing for security there, and serves no token
     * API: a token made while the server is open to everyone must not outlive the open mode.
     */
    static void routing(HttpRouting.Builder routing, ControlPlane controlPlane, WatchStreams watches, ServerMetrics metrics,
                        Optional<Guard> guard) {
        routing.addFilter(metrics);
        guard.ifPresent(g -> routing.addFilter(g.filter()));
        routing.error(Throwable.class, HttpProblems::handle);
        new NodesApi(controlPlane, watches).register(routing);
        new ProjectsApi(controlPlane, watches).register(routing);
        guard.ifPresentOrElse(g -> g.tokens().register(routing), () -> TokensApi.registerOpen(routing));
        new IdentityApi(guard.isPresent()).register(routing);
        new DashboardFiles().register(routing);
        new EventsApi(controlPlane, watches).register(routing);
    }

    /**
     * The store's event history kept by the configured retention; the store's own retention (with a
     * warning) when it cannot take another; none (with a warning) when it keeps no events.
     */
    private static Optional<EventStore> eventStore(NodeStore store, EventPolicy retention) {
        try {
            return Optional.of(store.events(retention));
        } catch (UnsupportedOperationException configured) {
            try {
                EventStore own = store.events();
                LOG.warning("the event retention settings do not apply: " + configured.getMessage());
                return Optional.of(own);
            } catch (UnsupportedOperationException none) {
                LOG.warning("no event history: " + none.getMessage());
                return Optional.empty();
            }
        }
    }

    /** Which replica this is, whether it leads and under which term: always UP, as a follower is healthy. */
    private static HealthCheck leadershipCheck(ControlPlane controlPlane) {
        return check("leadership", HealthCheckType.LIVENESS, () -> {
            Leadership l = controlPlane.leadership();
            return HealthCheckResponse.builder().status(true).detail("replica", l.replica())
                    .detail("leading", l.leading()).detail("term", l.term()).build();
        });
    }

    private static HealthCheck storeCheck(NodeStore store) {
        return check("store", HealthCheckType.READINESS, () -> {
            try {
                store.checkHealth();
                return HealthCheckResponse.builder().status(true).detail("store", store.describe()).build();
            } catch (RuntimeException e) {
                return HealthCheckResponse.builder().status(false).detail("store", store.describe())
                        .detail("error", String.valueOf(e.getMessage())).build();
            }
        });
    }

    private static HealthCheck check(String name, HealthCheckType type, Supplier<HealthCheckResponse> call) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckType type() {
                return type;
            }

            @Override
            public HealthCheckResponse call() {
                return call.get();
            }
        };
    }

    /** The port the server listens on (the real one when started with port 0). */
    public int port() {
        return webServer.port();
    }

    /** The URL clients on this machine use. */
    public String url() {
        String host = settings.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return (settings.security().tls() ? "https://" : "http://") + host + ":" + port();
    }

    /** The first admin token, when tokens are on: where it is and whether this start created it. */
    Optional<AdminToken.Outcome> adminToken() {
        return adminToken;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** The one start-up line: where, on what, with which timeout. */
    public String startupLine() {
        return "cara-server listening on " + url() + " (store " + settings.describeStore() + ", heartbeat timeout "
                + Durations.format(settings.heartbeatTimeout()) + ", auth " + (settings.security().tokens() ? "token" : "none")
                + (settings.security().tlsClientCa().isPresent() ? ", client certificates" : "") + ")";
    }

    /** Graceful stop: watches end, in-flight requests finish, then the control plane and the store close. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watches.closeAll();
        try {
            webServer.stop();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stopping the web server failed", e);
        }
        controlPlane.close();
        store.close();
    }
}
