package dev.cara.agent;

import dev.cara.sdk.CaraClient;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A call that {@link ForwardingClient} does not override falls back to {@link CaraClient}'s default,
 * which refuses it or goes round another call, so a wrapper would silently stop passing it on. This
 * pins that every abstract and default method of the interface is forwarded, so a call added to
 * {@code CaraClient} later fails here until it is forwarded too.
 */
class ForwardingClientTest {

    @Test
    void forwardsEveryCallOfTheClientInterface() {
        List<String> notForwarded = new ArrayList<>();
        for (Method call : CaraClient.class.getMethods()) {
            if (Modifier.isStatic(call.getModifiers()) || call.getDeclaringClass() != CaraClient.class) {
                continue;
            }
            if (isOverload(call)) {
                continue;
            }
            try {
                Method own = ForwardingClient.class.getDeclaredMethod(call.getName(), call.getParameterTypes());
                if (Modifier.isAbstract(own.getModifiers())) {
                    notForwarded.add(call.toString());
                }
            } catch (NoSuchMethodException e) {
                notForwarded.add(call.toString());
            }
        }
        assertEquals(List.of(), notForwarded, "calls ForwardingClient leaves to CaraClient's defaults");
    }

    /**
     * The convenience overloads ({@code list()}, {@code listProjects()}, ...) only call the full form
     * with a default argument, so forwarding the full form forwards them as well.
     */
    private static boolean isOverload(Method call) {
        if (!call.isDefault()) {
            return false;
        }
        for (Method other : CaraClient.class.getMethods()) {
            if (other.getName().equals(call.getName()) && other.getParameterCount() > call.getParameterCount()) {
                return true;
            }
        }
        return false;
    }
}
