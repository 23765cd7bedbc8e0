package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every role's rule, over every verb and the resources that matter, and the wording of a denial. */
class AuthorizerTest {
    private static final Authorizer AUTH = Authorizer.standard();
    private static final Identity ADMIN = Identity.of("token", "ops", Role.ADMIN);
    private static final Identity VIEWER = Identity.of("token", "ci-viewer", Role.VIEWER);
    private static final Identity BOOTSTRAP = Identity.of("token", "rack-7", Role.AGENT_BOOTSTRAP);
    private static final Identity W1 = Identity.ofNode("token", "node w1", "w1");
    private static final List<Resource> RESOURCES = List.of(Resource.node("w1"), Resource.node("w2"), Resource.nodes(),
            Resource.token("abc"), Resource.tokens(), new Resource(Resource.VERSION, ""), new Resource(Resource.METRICS, ""));

    @Test
    void eventsAreForAdminsAndViewersOnlyNeverForAgentCredentials() {
        for (Verb v : List.of(Verb.LIST, Verb.WATCH)) {
            assertTrue(AUTH.decide(ADMIN, v, Resource.events()).allowed());
            assertTrue(AUTH.decide(VIEWER, v, Resource.events()).allowed());
            assertFalse(AUTH.decide(BOOTSTRAP, v, Resource.events()).allowed());
            Access node = AUTH.decide(W1, v, Resource.events());
            assertFalse(node.allowed());
            assertTrue(node.reason().contains("may not " + v.word() + " events"), node.reason());
        }
    }

    @Test
    void anAdminMayDoEverything() {
        for (Verb v : Verb.values()) {
            for (Resource r : RESOURCES) {
                assertTrue(AUTH.decide(ADMIN, v, r).allowed(), v + " " + r);
            }
        }
    }

    @Test
    void aViewerMayReadEverythingButTokensAndWriteNothing() {
        for (Verb v : Verb.values()) {
            for (Resource r : RESOURCES) {
                boolean expected = v.isRead() && !r.kind().equals(Resource.TOKEN);
                assertEquals(expected, AUTH.decide(VIEWER, v, r).allowed(), v + " " + r);
            }
        }
    }

    @Test
    void aViewersDeleteIsDeniedWithAReasonNamingWhoWhatAndWhy() {
        Access a = AUTH.decide(VIEWER, Verb.DELETE, Resource.node("w1"));
        assertFalse(a.allowed());
        assertEquals("token \"ci-viewer\" (role viewer) may not delete node \"w1\": viewers may only read and watch", a.reason());
        assertEquals("token \"ci-viewer\" (role viewer) may not list tokens: only admins manage tokens",
                AUTH.decide(VIEWER, Verb.LIST, Resource.tokens()).reason());
    }

    @Test
    void aBootstrapTokenMayOnlyRegisterANodeAndReadTheVersion() {
        for (Verb v : Verb.values()) {
            for (Resource r : RESOURCES) {
                boolean expected = (v == Verb.CREATE && r.kind().equals(Resource.NODE))
                        || (v == Verb.GET && r.kind().equals(Resource.VERSION));
                assertEquals(expected, AUTH.decide(BOOTSTRAP, v, r).allowed(), v + " " + r);
            }
        }
        assertEquals("token \"rack-7\" (role agent-bootstrap) may not heartbeat node \"w1\": bootstrap tokens may only register a node",
                AUTH.decide(BOOTSTRAP, Verb.HEARTBEAT, Resource.node("w1")).reason());
    }

    @Test
    void aNodeCredentialMayReadHeartbeatAndRegisterOnlyItsOwnNode() {
        for (Verb v : Verb.values()) {
            for (Resource r : RESOURCES) {
                boolean own = r.equals(Resource.node("w1")) && (v == Verb.GET || v == Verb.HEARTBEAT || v == Verb.CREATE);
                boolean version = v == Verb.GET && r.kind().equals(Resource.VERSION);
                assertEquals(own || version, AUTH.decide(W1, v, r).allowed(), v + " " + r);
            }
        }
    }

    @Test
    void aNodeCredentialHeartbeatingAnotherNodeIsDeniedNamingItsOwn() {
        assertEquals("token \"node w1\" (role node, node \"w1\") may not heartbeat node \"w2\": node credentials may only"
                + " read, heartbeat and register their own node \"w1\"", AUTH.decide(W1, Verb.HEARTBEAT, Resource.node("w2")).reason());
    }

    @Test
    void rolesAreParsedByTheirWireNamesAndAnythingElseIsNamedWithTheChoices() {
        for (Role r : Role.values()) {
            assertEquals(r, Role.parse("role", r.word()));
        }
        InvalidException e = assertThrows(InvalidException.class, () -> Role.parse("role", "Admin"));
        assertEquals("role: \"Admin\" is invalid: must be one of admin, viewer, agent-bootstrap, node", e.getMessage());
        assertThrows(InvalidException.class, () -> Role.parse("role", null));
    }

    @Test
    void onlyANodeIdentityNamesANode() {
        assertThrows(IllegalArgumentException.class, () -> new Identity("token", "x", Role.NODE, ""));
        assertThrows(IllegalArgumentException.class, () -> new Identity("token", "x", Role.ADMIN, "w1"));
    }
}
