package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.maps;
import static org.quicktheories.generators.SourceDSL.strings;

/** Random nodes and heartbeats, strings of any Unicode text included, survive the wire and storage formats unchanged. */
class CaraJsonPropertiesTest {
    // Each try builds a whole random node; 400 keeps the class to a few seconds on a busy two-core machine.
    private static final int TRIES = 400;

    /** Any text, quotes, backslashes, control characters and astral code points included; never a lone surrogate. */
    static Gen<String> text() {
        Gen<String> ascii = strings().ascii().ofLengthBetween(0, 12);
        Gen<String> beforeSurrogates = strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 8);
        Gen<String> afterSurrogates = strings().betweenCodePoints(0xE000, 0x10FFFF).ofLengthBetween(0, 6);
        Gen<String> nasty = arbitrary().pick(List.of("\"", "\\", "\n", "\u0000", "\u001f", "</script>", "\u2028", "😀", "{}", "[\""));
        // QuickTheories' code-point strings can still hold a lone surrogate, which no UTF-8 byte
        // sequence can carry; drop those, since they are not text.
        return ascii.mix(beforeSurrogates, 30).mix(afterSurrogates, 20).mix(nasty, 15)
                .map(s -> s.codePoints().filter(c -> c < 0xD800 || c > 0xDFFF)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString());
    }

    static Gen<String> optionalText() {
        return text().mix(arbitrary().constant((String) null), 25);
    }

    static Gen<Instant> instants() {
        // RFC 3339 has four-digit years; stay within them.
        Gen<Instant> any = longs().between(0, 4_102_444_800L).zip(integers().between(0, 999_999_999), Instant::ofEpochSecond);
        return any.mix(arbitrary().constant((Instant) null), 25);
    }

    static Gen<ResourceList> resources() {
        return maps().of(arbitrary().pick(List.of("cpu", "memory", "ephemeral-storage", "pods", "nvidia.com/gpu")),
                QuantityPropertiesTest.quantities()).ofSizeBetween(0, 4).map(ResourceList::of);
    }

    static Gen<Condition> conditions() {
        Gen<String> types = arbitrary().pick(List.of("Ready", "NoHeartbeat", "MemoryPressure", "DiskPressure", "Custom"))
                .mix(text().map(t -> "T" + t), 20);
        return types.zip(arbitrary().enumValues(ConditionStatus.class), optionalText(), optionalText(),
                (type, status, reason, message) -> Condition.of(type, status, reason, message))
                .zip(instants(), instants(), (c, beat, transition) -> c.withTimes(beat, transition));
    }

    private static Gen<NetworkStatus> networks() {
        Gen<NetworkMode> modes = arbitrary().enumValues(NetworkMode.class).mix(arbitrary().constant((NetworkMode) null), 30);
        Gen<Integer> ports = integers().between(1, 65535).mix(arbitrary().constant((Integer) null), 30);
        return optionalText().zip(optionalText(), modes, ports, NetworkStatus::new);
    }

    private static Gen<NodeInfo> infos() {
        return optionalText().zip(optionalText(), optionalText(), NodeInfo::new);
    }

    private static Gen<ObjectMeta> metadata() {
        Gen<Map<String, String>> maps = maps().of(text(), text()).ofSizeBetween(0, 4);
        Gen<String> versions = optionalText();
        return text().map(t -> "n" + t).zip(maps, maps, versions, (name, labels, annotations, version) ->
                        new ObjectMeta(name, labels, annotations, null, null, version))
                .zip(instants(), instants(), (m, created, updated) -> m.withTimes(created, updated));
    }

    private static Gen<NodeStatus> statuses(boolean withClaim) {
        Gen<AgentClaim> claims = withClaim
                ? arbitrary().enumValues(NodeState.class).zip(optionalText(), optionalText(), AgentClaim::new)
                        .mix(arbitrary().constant((AgentClaim) null), 30)
                : arbitrary().constant((AgentClaim) null);
        Gen<List<Condition>> conditionLists = lists().of(conditions()).ofSizeBetween(0, 4);
        return arbitrary().enumValues(NodeState.class).zip(networks(), resources(), resources(),
                        (state, network, capacity, allocatable) -> new NodeStatus(state, network, capacity, allocatable,
                                NodeInfo.EMPTY, null, List.of(), null))
                .zip(infos(), instants(), conditionLists, claims, (s, info, beat, conditions, claim) ->
                        new NodeStatus(s.state(), s.network(), s.capacity(), s.allocatable(), info, beat, conditions, claim));
    }

    private static Gen<Node> nodes(boolean withClaim) {
        Gen<NodeSpec> specs = optionalText().zip(booleans().all(), NodeSpec::new);
        return metadata().zip(specs, statuses(withClaim),
                (meta, spec, status) -> new Node(Node.API_VERSION, Node.KIND, meta, spec, status));
    }

    @Test
    void aNodeSurvivesTheWireFormat() {
        qt().withExamples(TRIES).forAll(nodes(false)).check(node -> {
            String json = CaraJson.toJson(node);
            Node back = CaraJson.parseNode(json);
            return back.equals(node) && CaraJson.toJson(back).equals(json);
        });
    }

    @Test
    void aNodeSurvivesTheStorageFormatClaimIncluded() {
        qt().withExamples(TRIES).forAll(nodes(true)).check(node -> {
            String stored = NodeStorageCodec.encode(node);
            boolean wireHasNoClaim = !CaraJson.toJson(node).contains("\"claim\"")
                    || node.metadata().labels().keySet().stream().anyMatch(k -> k.contains("claim"))
                    || node.metadata().annotations().keySet().stream().anyMatch(k -> k.contains("claim"));
            return NodeStorageCodec.decode(stored).equals(node)
                    && CaraJson.parseNode(CaraJson.toJson(node)).status().claim() == null
                    && wireHasNoClaim;
        });
    }

    @Test
    void aManifestKeepsWhatAClientWritesAndDropsStatus() {
        qt().withExamples(TRIES).forAll(nodes(true)).check(node ->
                CaraJson.parseManifest(CaraJson.toJson(node)).equals(node.withStatus(NodeStatus.INITIAL)));
    }

    @Test
    void jsonBWritesAndReadsNodesAsTheCodecDoes() {
        qt().withExamples(TRIES).forAll(nodes(false)).check(node -> {
            String json = CaraJson.jsonb().toJson(node);
            return json.equals(CaraJson.toJson(node)) && CaraJson.jsonb().fromJson(json, Node.class).equals(node);
        });
    }

    @Test
    void aNodeListSurvivesTheWireFormat() {
        qt().withExamples(60).forAll(lists().of(nodes(false)).ofSizeBetween(0, 5)).check(items -> {
            NodeList list = NodeList.of(items);
            return CaraJson.parseNodeList(CaraJson.toJson(list)).equals(list);
        });
    }

    private static List<Condition> firstOfEachType(List<Condition> conditions) {
        Map<String, Condition> byType = new LinkedHashMap<>();
        conditions.forEach(c -> byType.putIfAbsent(c.type(), c));
        return List.copyOf(byType.values());
    }

    @Test
    void aHeartbeatSurvivesTheWireFormatAsUtf8Bytes() {
        Gen<NodeState> states = arbitrary().enumValues(NodeState.class).mix(arbitrary().constant((NodeState) null), 30);
        Gen<NetworkStatus> networks = networks().mix(arbitrary().constant((NetworkStatus) null), 30);
        Gen<ResourceList> resources = resources().mix(arbitrary().constant((ResourceList) null), 30);
        // A heartbeat names each condition type once (one type twice is a 400).
        Gen<List<Condition>> conditionLists = lists().of(conditions()).ofSizeBetween(0, 3)
                .map(CaraJsonPropertiesTest::firstOfEachType)
                .mix(arbitrary().constant((List<Condition>) null), 30);
        Gen<HeartbeatReport> reports = states.zip(networks, resources, resources,
                        (state, network, capacity, allocatable) -> new HeartbeatReport(state, network, capacity, allocatable, null, null))
                .zip(infos().mix(arbitrary().constant((NodeInfo) null), 30), conditionLists, (r, info, conditions) ->
                        new HeartbeatReport(r.state(), r.network(), r.capacity(), r.allocatable(), info, conditions));
        qt().withExamples(TRIES).forAll(reports).check(report -> {
            HeartbeatReport back = CaraJson.parseHeartbeat(CaraJson.toJson(report).getBytes(StandardCharsets.UTF_8));
            // An empty network or info object carries nothing: it reads back as "nothing to merge". An empty
            // capacity or allocatable is a report of none ({} on the wire), so it survives as itself.
            HeartbeatReport expected = new HeartbeatReport(report.state(),
                    report.network() == null || report.network().isEmpty() ? null : report.network(),
                    report.capacity(),
                    report.allocatable(),
                    report.info() == null || report.info().isEmpty() ? null : report.info(),
                    report.conditions());
            return back.equals(expected);
        });
    }
}
