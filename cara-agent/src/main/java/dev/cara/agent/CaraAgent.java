package dev.cara.agent;

import dev.cara.agent.spi.ProjectRuntime;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.VersionInfo;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A running agent: the heartbeat loop on its own timer thread, the project loop (reconcile passes,
 * driven by a project watch and a periodic resync) on another, and the health endpoint. Wiring only:
 * settings -> host probe -> reports -> loop -> endpoint; settings -> runtime -> project loop and watch.
 * The two threads are apart so that a slow runtime (an image pull) never delays a heartbeat.
 *
 * <p>The timer thread is not a daemon, so the process stays up (idle) after the node is deleted,
 * until it is told to stop.
 */
public final class CaraAgent implements AutoCloseable {
    /** How long the last heartbeat on a planned stop may take; the stop as a whole must fit in 5 s. */
    static final Duration LAST_HEARTBEAT_BUDGET = Duration.ofSeconds(3);

    private static final Logger LOG = Logger.getLogger(CaraAgent.class.getName());

    private final CaraClient client;
    private final ScheduledExecutorService timer;
    private final AgentEndpoint endpoint;
    private final HeartbeatLoop loop;
    private final ScheduledExecutorService projectsTimer;
    private final ProjectLoop projects;
    private final ProjectWatcher projectWatch;
    private final ProjectRuntime runtime;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean projectsStarted = new java.util.concurrent.atomic.AtomicBoolean();

    private CaraAgent(AgentSettings settings, CaraClient client, HostProbe probe) {
        this.client = Objects.requireNonNull(client, "client");
        Ticker ticker = Ticker.system();
        this.runtime = settings.projects().newRuntime(ticker); // first: a bad state file fails before any thread starts
        // Reports name the health endpoint's port (network.agentPort), known only once it is bound;
        // the loop asks for its first report only when started, after that.
        HostReports[] reportsRef = new HostReports[1];
        Supplier<HeartbeatReport> reports = () -> reportsRef[0].report(probe.probe());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cara-agent-heartbeat");
            t.setDaemon(false);
            return t;
        });
        this.loop = HeartbeatLoop.builder()
                .client(client)
                .manifest(Node.builder(settings.nodeName()).hostname(settings.hostname()).labels(settings.labels()).build())
                .reports(reports)
                .interval(settings.heartbeatInterval())
                .scheduler(TaskScheduler.of(timer))
                .ticker(ticker)
                .onRegistered(this::startProjects)
                .build();
        try {
            this.endpoint = AgentEndpoint.start(settings.listenAddress(), settings.listenPort(), new AgentEndpoint.Source(
                    loop::status, reports, ticker, client.target(), settings.heartbeatInterval(), settings.labels()));
        } catch (RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
        this.projectsTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cara-agent-projects");
            t.setDaemon(true); // the heartbeat thread keeps the process up
            return t;
        });
        TaskScheduler projectScheduler = TaskScheduler.of(projectsTimer);
        ClientAssignedProjects assigned = new ClientAssignedProjects(client, settings.nodeName());
        this.projects = ProjectLoop.builder().runtime(runtime).assigned(assigned).scheduler(projectScheduler).ticker(ticker)
                .interval(settings.projects().reconcileInterval()).node(settings.nodeName()).build();
        this.projectWatch = new ProjectWatcher(client, assigned.filter(), event -> projects.poke(), projectScheduler,
                settings.projects().reconcileInterval(), Logger.getLogger(ProjectWatcher.class.getName()));
        reportsRef[0] = new HostReports(settings.systemReserved(), settings.memoryPressure(), settings.diskPressure(),
                VersionInfo.current().version(), endpoint.port());
    }

    /**
     * Starts serving the health endpoint and the loop (registration, then the first heartbeat at once).
     *
     * @throws AgentException when the health endpoint's port cannot be bound
     */
    public static CaraAgent start(AgentSettings settings, CaraClient client, HostProbe probe) {
        CaraAgent agent = new CaraAgent(settings, client, probe);
        LOG.info(() -> "cara-agent " + VersionInfo.current().version() + " for node \"" + settings.nodeName() + "\": control plane "
                + client.target() + ", heartbeat every " + dev.cara.sdk.Durations.format(settings.heartbeatInterval())
                + " (±10%), health endpoint on port " + agent.endpoint.port());
        agent.checkRuntime(settings.projects());
        agent.loop.start(); // the project loop and watch start once the node is registered (startProjects)
        return agent;
    }

    // Called by the heartbeat loop after each registration. Projects wait for it: before it, a bootstrap
    // token is all the agent has, and it may not read projects (the watch would start with a 403).
    private void startProjects() {
        if (projectsStarted.compareAndSet(false, true) && !closed.get()) {
            projects.start();
            projectWatch.start();
        }
    }

    // One line at start that says where projects will run, and a warning when Docker does not answer:
    // the agent still heartbeats, and reports the projects bound here Failed with the same words.
    private void checkRuntime(ProjectSettings p) {
        if (runtime instanceof DockerRuntime docker && !docker.ping()) {
            LOG.warning("the Docker daemon does not answer on " + p.dockerSocket() + ": projects scheduled to this node"
                    + " will be reported Failed until it does; start Docker, give its socket with --docker-socket PATH"
                    + " (DOCKER_SOCKET), or run the agent with --runtime simulated");
        } else {
            LOG.info(() -> "projects run on the " + runtime.name() + " runtime"
                    + (runtime instanceof DockerRuntime ? " (" + p.dockerSocket() + ")" : "")
                    + p.simulatedState().map(f -> " (state in " + f + ")").orElse("")
                    + ", reconciled on every project event and every " + dev.cara.sdk.Durations.format(p.reconcileInterval()));
        }
    }

    public AgentStatus status() {
        return loop.status();
    }

    public int port() {
        return endpoint.port();
    }

    /** A planned stop: the last heartbeat (NotReady, AgentShutdown), then everything closes. Only the first call acts. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            projectWatch.stop();
            projects.stop();
            projectsTimer.shutdownNow(); // a pass in flight is abandoned: every step is idempotent, the next agent redoes it
            loop.shutdown(LAST_HEARTBEAT_BUDGET);
        } finally {
            endpoint.close();
            timer.shutdownNow();
            client.close();
        }
    }
}
