package dev.cara.sdk;

/**
 * An HTTP route to one of a project's services.
 *
 * @param name   the route's name, unique in the project
 * @param host   the host name it answers, or {@code null}. One with a dot is used as is; one without
 *               is a prefix that the ingress completes with its own domain.
 * @param target the service and port it forwards to
 * @param access who may reach it; never null ({@link Scope#INTERNAL} when not given)
 */
public record IngressSpec(String name, String host, Target target, Access access) {
    public IngressSpec {
        host = Condition.blankToNull(host);
        access = access == null ? Access.INTERNAL : access;
    }

    public static IngressSpec of(String name, String host, String service, int port) {
        return new IngressSpec(name, host, new Target(service, port), Access.INTERNAL);
    }

    /**
     * Checks the name, the host and the port; that the target names a declared service is the
     * project's check. Field paths in the error are relative ({@code target.port}).
     *
     * @throws InvalidException naming the field, the value and the rule
     */
    public IngressSpec validate() {
        Names.requireNodeName("name", name);
        if (host != null) {
            Names.requireNodeName("host", host);
        }
        if (target == null) {
            throw new InvalidException("target", null, "an object naming a service and a port, for example {service: web, port: 80}");
        }
        if (target.service() == null || target.service().isEmpty()) {
            throw new InvalidException("target.service", null, "the name of a service in spec.services");
        }
        if (target.port() < 1 || target.port() > 65_535) {
            String port = Integer.toString(target.port());
            throw InvalidException.ofJson("target.port", port, port, "a port from 1 to 65535");
        }
        return this;
    }

    /**
     * Where a route forwards.
     *
     * @param service the name of a service of the same project
     * @param port    the port that service listens on, 1-65535
     */
    public record Target(String service, int port) {
    }

    /**
     * Who may reach a route.
     *
     * @param scope never null ({@link Scope#INTERNAL} when not given)
     */
    public record Access(Scope scope) {
        public static final Access INTERNAL = new Access(Scope.INTERNAL);

        public Access {
            scope = scope == null ? Scope.INTERNAL : scope;
        }
    }

    /** The reach of a route. */
    public enum Scope implements WireEnum {
        /** Only machines on the fleet's overlay network. */
        INTERNAL;

        @Override
        public String toString() {
            return wireName();
        }

        /** @throws InvalidException naming the field, the bad value and the valid ones */
        public static Scope fromWire(String field, String text) {
            return WireNames.parse(Scope.class, field, text, "Internal (the only scope so far)");
        }
    }
}
