package dev.linen.flaxd.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.flaxd.cluster.NodeRules.Verdict;
import dev.linen.flaxd.cluster.Rejection.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerTableTest {
    private static final Peer SELF = new Peer("n1", List.of("10.244.1.0/24"), "10.99.0.11");
    private static final Peer N2 = new Peer("n2", List.of("10.244.2.0/24"), "10.99.0.12");
    private static final Peer N3 = new Peer("n3", List.of("10.244.3.0/24"), "10.99.0.13");

    private static Optional<Verdict> ok(Peer p) {
        return Optional.of(new Verdict.Usable(p));
    }

    private static PeerTable table() {
        PeerTable t = new PeerTable("n1");
        assertTrue(t.update("n1", ok(SELF)).selfChanged());
        t.update("n2", ok(N2));
        return t;
    }

    /**
     * Two Nodes blocked by the same holder, and clashing with each other: when it goes, the one seen
     * first (the older: a full list comes oldest first) takes the range, as a fresh start decides,
     * not the first by name.
     */
    @Test
    void whenTheHolderGoesTheFirstBlockedTakesItNotTheFirstByName() {
        Peer older = new Peer("zeta", List.of("10.244.2.0/25"), "10.99.0.20");
        Peer younger = new Peer("alpha", List.of("10.244.2.0/25"), "10.99.0.21");
        PeerTable t = table();
        t.update("zeta", ok(older));
        t.update("alpha", ok(younger));
        t.update("zeta", ok(older));   // e.g. a label changed: an update keeps zeta's place
        assertEquals(List.of(N2), t.peers(), "both overlap n2's 10.244.2.0/24");
        assertEquals(new PeerTable.Delta(List.of(N2), List.of(older), false), t.update("n2", Optional.empty()));

        PeerTable fresh = new PeerTable("n1");
        Map<String, Verdict> oldestFirst = new java.util.LinkedHashMap<>();
        oldestFirst.put("n1", new Verdict.Usable(SELF));
        oldestFirst.put("zeta", new Verdict.Usable(older));
        oldestFirst.put("alpha", new Verdict.Usable(younger));
        fresh.replaceAll(oldestFirst);
        assertEquals(List.of(older), fresh.peers(), "a fresh start decides the same");
        assertEquals(fresh.peers(), t.peers());
    }

    /** A peer whose Node loses its InternalIP or pod CIDR (Waiting) keeps its tunnel until it is deleted. */
    @Test
    void anAcceptedPeerThatTurnsWaitingIsKeptUntilDeleted() {
        PeerTable t = table();
        Optional<Verdict> waiting = Optional.of(new Verdict.Waiting("n2"));
        assertEquals(new PeerTable.Delta(List.of(), List.of(), false), t.update("n2", waiting));
        assertEquals(List.of(N2), t.peers());
        Map<String, Verdict> relist = new java.util.LinkedHashMap<>();
        relist.put("n1", new Verdict.Usable(SELF));
        relist.put("n2", waiting.get());
        assertEquals(new PeerTable.Delta(List.of(), List.of(), false), t.replaceAll(relist), "a relist keeps it too");
        assertEquals(List.of(N2), t.peers());
        Peer moved = new Peer("n2", List.of("10.244.2.0/24"), "10.99.0.22");
        assertEquals(new PeerTable.Delta(List.of(N2), List.of(moved), false), t.update("n2", ok(moved)),
                "a usable verdict is the new truth");
        assertEquals(new PeerTable.Delta(List.of(moved), List.of(), false), t.update("n2", Optional.empty()));
        assertEquals(List.of(), t.peers());
        assertEquals(new PeerTable.Delta(List.of(), List.of(), false), t.update("n4", Optional.of(new Verdict.Waiting("n4"))),
                "a Node never accepted that is Waiting is no peer");
        assertEquals(List.of(), t.peers());
    }

    @Test
    void aNewPeerIsTheOnlyChange() {
        PeerTable t = table();
        assertEquals(new PeerTable.Delta(List.of(), List.of(N3), false), t.update("n3", ok(N3)));
        assertEquals(new PeerTable.Delta(List.of(), List.of(), false), t.update("n3", ok(N3)), "same again: nothing");
        assertEquals(List.of(N2, N3), t.peers());
        assertEquals(new PeerTable.Delta(List.of(N2), List.of(), false), t.update("n2", Optional.empty()));
        assertEquals(List.of(N3), t.peers());
    }

    @Test
    void aChangedPeerIsRemovedAndAdded() {
        PeerTable t = table();
        Peer moved = new Peer("n2", List.of("10.244.2.0/24"), "10.99.0.22");
        assertEquals(new PeerTable.Delta(List.of(N2), List.of(moved), false), t.update("n2", ok(moved)));
    }

    @Test
    void overlapsAndSharedAddressesAreRejectedAndTheFirstKeepsIt() {
        PeerTable t = table();
        Peer overSelf = new Peer("n4", List.of("10.244.1.128/25"), "10.99.0.14");
        Peer overPeer = new Peer("n5", List.of("10.244.2.0/23"), "10.99.0.15");
        Peer sameIp = new Peer("n6", List.of("10.244.6.0/24"), "10.99.0.12");
        assertEquals(new PeerTable.Delta(List.of(), List.of(), false), t.update("n4", ok(overSelf)));
        assertEquals(new PeerTable.Delta(List.of(), List.of(), false), t.update("n5", ok(overPeer)));
        assertEquals(new PeerTable.Delta(List.of(), List.of(), false), t.update("n6", ok(sameIp)));
        assertEquals(List.of(N2), t.peers());
        Map<Reason, Integer> by = t.rejectedByReason();
        assertEquals(1, by.get(Reason.OVERLAPS_LOCAL_POD_CIDR));
        assertEquals(1, by.get(Reason.OVERLAPS_PEER_POD_CIDR));
        assertEquals(1, by.get(Reason.DUPLICATE_INTERNAL_IP));
        assertEquals(0, by.get(Reason.MALFORMED_POD_CIDR));
        // n2 goes: the Nodes it blocked are checked again and now fit
        assertEquals(new PeerTable.Delta(List.of(N2), List.of(overPeer, sameIp), false), t.update("n2", Optional.empty()));
        assertEquals(1, t.rejectedByReason().get(Reason.OVERLAPS_LOCAL_POD_CIDR));
    }

    @Test
    void aRejectionIsCountedOnceNotOnEveryUpdate() {
        PeerTable t = table();
        Optional<Verdict> bad = Optional.of(new Verdict.Rejected(new Rejection("n7", Reason.MALFORMED_POD_CIDR, "abc")));
        t.update("n7", bad);
        t.update("n7", bad);
        assertEquals(1L, t.rejectionsLogged().get(Reason.MALFORMED_POD_CIDR));
        t.update("n7", Optional.empty());
        assertEquals(0, t.rejectedByReason().get(Reason.MALFORMED_POD_CIDR));
    }

    @Test
    void replaceAllKeepsTheEarlierOwnerAndReportsTheDifference() {
        PeerTable t = table();
        Peer clash = new Peer("a0", List.of("10.244.2.0/24"), "10.99.0.20");
        PeerTable.Delta d = t.replaceAll(Map.of("n1", new Verdict.Usable(SELF), "n2", new Verdict.Usable(N2),
                "a0", new Verdict.Usable(clash), "n3", new Verdict.Usable(N3)));
        assertEquals(new PeerTable.Delta(List.of(), List.of(N3), false), d, "a0 sorts first but n2 had the range");
        assertEquals(1, t.rejectedByReason().get(Reason.OVERLAPS_PEER_POD_CIDR));
        assertEquals(new PeerTable.Delta(List.of(N2, N3), List.of(), true), t.replaceAll(Map.of()));
    }

    @Test
    void thisNodesOwnRejectionIsKept() {
        PeerTable t = new PeerTable("n1");
        Rejection r = new Rejection("n1", Reason.NO_IPV4_INTERNAL_IP, "InternalIP [fd00::11]");
        t.update("n1", Optional.of(new Verdict.Rejected(r)));
        assertEquals(Optional.of(r), t.selfRejection());
        assertEquals(Optional.empty(), t.self());
    }

    @Test
    void amongNewcomersTheFirstGivenKeepsTheRange() {
        PeerTable t = new PeerTable("n1");
        Peer older = new Peer("zz", List.of("10.244.9.0/24"), "10.99.0.19");
        Peer younger = new Peer("aa", List.of("10.244.9.0/24"), "10.99.0.29");
        Map<String, Verdict> oldestFirst = new java.util.LinkedHashMap<>();
        oldestFirst.put("zz", new Verdict.Usable(older));
        oldestFirst.put("aa", new Verdict.Usable(younger));
        assertEquals(new PeerTable.Delta(List.of(), List.of(older), false), t.replaceAll(oldestFirst));
        assertEquals(Reason.OVERLAPS_PEER_POD_CIDR, t.rejections().iterator().next().reason());
        assertEquals("aa", t.rejections().iterator().next().node());
    }
}
