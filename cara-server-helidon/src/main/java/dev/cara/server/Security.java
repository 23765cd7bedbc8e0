package dev.cara.server;

import dev.cara.sdk.Access;
import dev.cara.sdk.Authorizer;
import dev.cara.sdk.Enrollment;
import dev.cara.sdk.FailureLimiter;
import dev.cara.sdk.Identity;
import dev.cara.sdk.IssuedToken;
import dev.cara.sdk.Problem;
import dev.cara.sdk.Problems;
import dev.cara.sdk.Resource;
import dev.cara.sdk.Role;
import dev.cara.sdk.Verb;
import dev.cara.sdk.spi.Authenticator;
import dev.cara.sdk.spi.Authenticator.Credentials;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who may call what, around every {@code /api/v1} route: the limiter first (an address that failed
 * too often gets 429 with {@code Retry-After} and is not even checked), then the
 * {@link Authenticator} (401 with {@code WWW-Authenticate: Bearer} when the credentials are missing
 * or wrong; each 401 counts against the address), then the {@link Authorizer} (403 naming what the
 * identity may not do). Health, outside {@code /api/}, stays open; the version and the metrics are
 * open when configured so (metrics then want an admin or viewer token: they tell how big the fleet is).
 *
 * <p>Only with tokens on ({@code --auth none} adds no filter at all: see {@link CaraServer#routing}).
 * After a write it leaves one {@link Audit} line. A registration with a bootstrap token gets the
 * node's credential in the 201's {@code Cara-Node-Token} header ({@link Enrollment}): a header, so
 * that the body stays a plain Node and older clients just ignore it.
 *
 * <p>State: none of its own beyond the limiter (which guards itself) and immutable collaborators.
 */
final class Security implements Filter {
    /** The header that carries a newly enrolled node's credential, once, in the answer to its registration. */
    static final String NODE_TOKEN_HEADER = "Cara-Node-Token";
    private static final String METRICS_PATH = "/observe/metrics";
    private static final Logger LOG = Logger.getLogger(Security.class.getName());

    private final boolean openVersion;
    private final boolean openMetrics;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final FailureLimiter limiter;
    private final Enrollment enrollment;
    // Only under mTLS: asking TLS for a peer certificate that was never requested costs every request.
    private final boolean clientCertificates;

    private Security(boolean openVersion, boolean openMetrics, Authenticator authenticator,
                     Authorizer authorizer, FailureLimiter limiter, Enrollment enrollment, boolean clientCertificates) {
        this.clientCertificates = clientCertificates;
        this.openVersion = openVersion;
        this.openMetrics = openMetrics;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.limiter = limiter;
        this.enrollment = enrollment;
    }

    /**
     * Tokens (and, with {@code clientCertificates}, client certificates) required on every API call.
     *
     * @param clientCertificates whether the listener asks clients for certificates (a client CA is set)
     */
    static Security required(Authenticator authenticator, Authorizer authorizer, FailureLimiter limiter,
                             Enrollment enrollment, boolean openVersion, boolean openMetrics, boolean clientCertificates) {
        return new Security(openVersion, openMetrics, authenticator, authorizer, limiter, enrollment, clientCertificates);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        HttpPrologue prologue = req.prologue();
        String path = prologue.uriPath().rawPath();
        boolean guardedMetrics = !openMetrics && (path.equals(METRICS_PATH) || path.startsWith(METRICS_PATH + "/"));
        if (!guardedMetrics && !path.startsWith("/api/")) {
            chain.proceed();
            return;
        }
        ApiRequests.Target target = ApiRequests.classify(prologue.method().text(), path, prologue.query().rawValue())
                .orElse(null);
        String remote = req.remotePeer().host();
        if (openVersion && target != null && target.resource().kind().equals(Resource.VERSION)) {
            proceed(chain, req, res, Identity.ANONYMOUS, target, remote);
            return;
        }
        Identity who = admitted(req, res, path, target, guardedMetrics, remote);
        if (who == null) {
            return; // answered: 429, 401 or 403
        }
        if (target != null && target.verb() == Verb.HEARTBEAT) {
            // The commonest call, judged in full above; its route reads no identity from the context, it
            // enrolls nothing and it leaves no audit line, so it skips what proceed does for the others.
            chain.proceed();
            return;
        }
        proceed(chain, req, res, who, target, remote);
    }

    /**
     * The limiter, the authenticator and, where the request alone decides, the authorizer: the
     * caller's identity, or null once the request has been answered (429, 401 or 403).
     */
    private Identity admitted(RoutingRequest req, RoutingResponse res, String path, ApiRequests.Target target,
                              boolean guardedMetrics, String remote) {
        Optional<Duration> blocked = limiter.blockedFor(remote);
        if (blocked.isPresent()) {
            long seconds = FailureLimiter.retryAfterSeconds(blocked.get());
            res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
            HttpProblems.send(req, res, new Problem(Problems.TYPE_BASE + "too-many-requests", "Too many requests", 429,
                    "too many failed authentication attempts from " + remote + ": retry in " + seconds + " s", path));
            return null;
        }
        Authenticator.Result result = authenticator.authenticate(Credentials.of(
                req.headers().first(HeaderNames.AUTHORIZATION).orElse(null), clientCertificates ? certificateName(req).orElse(null) : null));
        if (result instanceof Authenticator.Unauthenticated u) {
            limiter.failed(remote);
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"cara\"");
            HttpProblems.send(req, res, new Problem(Problems.TYPE_BASE + "unauthenticated", "Unauthenticated", 401,
                    u.reason(), path));
            return null;
        }
        Identity who = ((Authenticator.Authenticated) result).identity();
        if (guardedMetrics && who.role() != Role.ADMIN && who.role() != Role.VIEWER) {
            HttpProblems.send(req, res, new Problem(Problems.TYPE_BASE + "forbidden", "Forbidden", 403,
                    who.describe() + " may not read the metrics: use an admin or viewer token (or OPEN_METRICS=true)", path));
            return null;
        }
        if (target == null) {
            return who;
        }
        if (who.role() == Role.NODE && (isRegistration(target) || isBoundProject(target))) {
            // What decides is not in the request: a registration's name is in the body, a project's node in
            // the store. The route asks authorizeNow once it knows.
            req.context().register(Pending.class, new Pending(who, authorizer, remote));
            return who;
        }
        Access access = authorizer.decide(who, target.verb(), target.resource());
        if (!access.allowed()) {
            if (!target.verb().isRead()) {
                Audit.write(who, remote, "denied-" + target.verb().word(), target.resource().describe(), 403);
            }
            HttpProblems.send(req, res, new Problem(Problems.TYPE_BASE + "forbidden", "Forbidden", 403,
                    access.reason(), path));
            return null;
        }
        return who;
    }

    /** Lets an admitted request through: its identity for the routes, a registration's enrollment, a write's audit line. */
    private void proceed(FilterChain chain, RoutingRequest req, RoutingResponse res, Identity who, ApiRequests.Target target,
                         String remote) {
        req.context().register(Identity.class, who);
        if (target != null && who.role() == Role.AGENT_BOOTSTRAP && isRegistration(target)) {
            res.beforeSend(() -> enroll(who, res));
        }
        chain.proceed();
        if (target != null && !target.verb().isRead()) { // heartbeats, the one unaudited write, do not come here
            Audit.write(who, remote, target.verb().word(), created(res).orElse(target.resource().describe()), res.status().code());
        }
    }

    private static boolean isRegistration(ApiRequests.Target t) {
        return t.verb() == Verb.CREATE && t.resource().kind().equals(Resource.NODE);
    }

    /** A read or status report of one project: a node credential's right to it depends on the project's node. */
    private static boolean isBoundProject(ApiRequests.Target t) {
        return (t.verb() == Verb.GET || t.verb() == Verb.REPORT) && t.resource().kind().equals(Resource.PROJECT)
                && !t.resource().isCollection();
    }

    /** A node credential's request, to be judged once the route knows what decides it. */
    private record Pending(Identity who, Authorizer authorizer, String remote) {
    }

    /**
     * For the routes whose decision needs what only they learn: a node credential may register only
     * its own node (the name is in the body), and read or report only the projects bound to its node
     * (the binding is in the store). Other identities were judged before the route ran.
     *
     * @throws ForbiddenException naming what the identity may not do
     */
    static void authorizeNow(io.helidon.webserver.http.ServerRequest req, Verb verb, Resource resource) {
        req.context().get(Pending.class, Pending.class).ifPresent(p -> {
            Access access = p.authorizer().decide(p.who(), verb, resource);
            if (!access.allowed()) {
                if (!verb.isRead()) {
                    Audit.write(p.who(), p.remote(), "denied-" + verb.word(), resource.describe(), 403);
                }
                throw new ForbiddenException(access.reason());
            }
        });
    }

    /** A 403 raised inside a route; {@link HttpProblems} sends it as problem JSON with its message as the detail. */
    static final class ForbiddenException extends io.helidon.http.HttpException {
        private static final long serialVersionUID = 1L;

        ForbiddenException(String reason) {
            super(reason, io.helidon.http.Status.FORBIDDEN_403, true);
        }
    }

    private void enroll(Identity who, RoutingResponse res) {
        if (res.status().code() != 201) {
            return; // a refused registration (the name taken) hands out nothing
        }
        Optional<String> location = res.headers().first(HeaderNames.LOCATION);
        if (location.isEmpty()) {
            return;
        }
        String node = location.get().substring(location.get().lastIndexOf('/') + 1);
        try {
            Optional<IssuedToken> issued = enrollment.afterRegistration(who, NodesApi.decode(node, "name"));
            issued.ifPresent(t -> {
                res.header(NODE_TOKEN_HEADER, t.token());
                res.header(HeaderNames.CACHE_CONTROL, "no-store");
                Audit.write(who, "-", "enroll", "token \"" + t.record().id() + "\" for node \"" + t.record().node() + "\"", 201);
            });
        } catch (RuntimeException e) {
            // The node is registered; without a credential the agent will say so and an admin can issue one.
            LOG.log(Level.WARNING, "could not issue the credential of node " + node, e);
        }
    }

    /** For a create's audit line: what was created, from the Location header the route set. */
    private static Optional<String> created(RoutingResponse res) {
        return res.headers().first(HeaderNames.LOCATION).map(l -> {
            String[] parts = l.split("/");
            return parts.length < 2 ? l : parts[parts.length - 2].replaceAll("s$", "") + " \"" + parts[parts.length - 1] + "\"";
        });
    }

    /** The CN of a client certificate that TLS verified against the client CA (present only under mTLS). */
    static Optional<String> certificateName(RoutingRequest req) {
        Optional<Certificate[]> chain = req.remotePeer().tlsCertificates();
        if (chain.isEmpty() || chain.get().length == 0 || !(chain.get()[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
