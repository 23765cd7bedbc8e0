package dev.cara.sdk;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The indexed placement gives the plain scan's answer (node and score, ties to the smallest name) on
 * random fleets of a few shapes, with random usage, health and labels, over a whole pass of requests
 * that each add their reservation.
 */
class PlacementIndexTest {
    private static final List<String> CPU = List.of("0", "1", "2", "4", "16");
    private static final List<String> MEMORY = List.of("0", "1Gi", "4Gi", "8Ti");

    @Test
    void theIndexPlacesExactlyAsThePlainScanOverAWholePass() {
        Gen<Long> seeds = longs().all();
        Gen<Integer> sizes = integers().between(1, 60);
        qt().withExamples(400).forAll(seeds, sizes).checkAssert((seed, size) -> {
            Random random = new Random(seed);
            List<Node> fleet = new ArrayList<>();
            Map<String, ResourceList> assigned = new HashMap<>();
            int shapes = 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                int shape = random.nextInt(shapes);
                ResourceList alloc = ResourceList.parse(Map.of("cpu", CPU.get((shape + 1) % CPU.size()),
                        "memory", MEMORY.get(shape % MEMORY.size())));
                NodeState state = random.nextInt(6) == 0 ? NodeState.NOT_READY : NodeState.READY;
                Node n = Node.builder(String.format("n%03d", random.nextInt(1000))).label("zone", "z" + random.nextInt(2)).build()
                        .withStatus(new NodeStatus(state, null, alloc, alloc, null, null, List.of(), null));
                if (fleet.stream().anyMatch(f -> f.name().equals(n.name()))) {
                    continue;
                }
                fleet.add(n);
                if (random.nextBoolean()) {
                    assigned.put(n.name(), ResourceList.parse(Map.of("cpu", random.nextInt(3000) + "m")));
                }
            }
            SchedulingSnapshot snapshot = SchedulingSnapshot.of(fleet);
            SchedulingSnapshot.Usage plain = snapshot.usage(assigned);
            SchedulingSnapshot.Usage indexed = snapshot.usage(assigned);
            Scheduler scheduler = Scheduler.standard();
            for (int step = 0; step < 30; step++) {
                Map<String, String> req = new HashMap<>();
                if (random.nextInt(4) > 0) {
                    req.put("cpu", (random.nextInt(8) * 250) + "m");
                }
                if (random.nextBoolean()) {
                    req.put("memory", random.nextInt(3) + "Gi");
                }
                if (random.nextInt(10) == 0) {
                    req.put("gpu", "1");
                }
                SchedulingRequest request = new SchedulingRequest(ResourceList.parse(req),
                        random.nextInt(3) == 0 ? LabelSelector.parse("zone=z1") : LabelSelector.everything());
                Optional<Placement> expected = scheduler.place(snapshot, request, plain);
                Optional<Placement> actual = scheduler.placeIndexed(snapshot, request, indexed);
                assertEquals(expected.map(p -> p.node().name() + "@" + p.score()), actual.map(p -> p.node().name() + "@" + p.score()),
                        "step " + step + " request " + req + " over " + fleet.size() + " nodes");
                expected.ifPresent(p -> {
                    plain.add(p.node().name(), request.resources());
                    indexed.add(p.node().name(), request.resources());
                });
            }
        });
    }
}
