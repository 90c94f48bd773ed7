package dev.linen.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * A fault the mock API answers a Node LIST request with: {@code 500} (an HTTP 500 with a
 * Kubernetes Status body) or {@code drop} (every open connection is reset and the request gets no
 * answer, as when the API server's process dies under a client).
 */
public enum NodeListFault {
    HTTP_500("500"),
    DROP("drop");

    private final String word;

    NodeListFault(String word) {
        this.word = word;
    }

    /** The word that names this fault in {@code MOCKAPI_FAIL_NODE_LISTS}. */
    public String word() {
        return word;
    }

    /**
     * Parses a comma-separated plan such as {@code 500,drop}: the first Node list gets the first
     * fault, the second the second, and so on; later lists are answered normally. An empty or blank
     * plan has no faults.
     *
     * @throws IllegalArgumentException naming the word that is not a fault
     */
    public static List<NodeListFault> parse(String plan) {
        List<NodeListFault> faults = new ArrayList<>();
        if (plan.isBlank()) {
            return faults;
        }
        for (String w : plan.split(",", -1)) {
            faults.add(of(w.trim()));
        }
        return List.copyOf(faults);
    }

    private static NodeListFault of(String word) {
        for (NodeListFault f : values()) {
            if (f.word.equals(word)) {
                return f;
            }
        }
        throw new IllegalArgumentException("not a Node list fault: '" + word + "' (500 or drop)");
    }
}
