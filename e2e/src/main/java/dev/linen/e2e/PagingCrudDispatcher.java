package dev.linen.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.HttpURLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * fabric8's CRUD dispatcher, which ignores {@code limit} and {@code continue} and always answers a
 * list with every item, made to page lists as a kube-apiserver does: a list GET with
 * {@code limit=N} returns at most N items in key order (namespace/name) and, when more remain, an
 * opaque {@code metadata.continue} token (the last key returned) and
 * {@code metadata.remainingItemCount}; a GET with that token returns the items after that key.
 * Unlike the apiserver, the pages are not one snapshot: an item created between two page requests
 * appears if its key sorts after the token. Watches and every other request go to the CRUD
 * dispatcher unchanged; a malformed limit or token is answered 400. The sorted list is kept
 * between the pages of one listing (until the next write), as the apiserver serves pages from its
 * cache: a 5000-Node list is parsed once, not once per page. Thread-safe.
 */
public final class PagingCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Comparator<GenericKubernetesResource> BY_KEY = Comparator.comparing(PagingCrudDispatcher::key);

    private final KubernetesSerialization json = new KubernetesSerialization();
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    private volatile Optional<Sorted> cached = Optional.empty();

    /** A list as parsed and sorted once, valid while no write happened since. */
    private record Sorted(long writes, String rest, GenericKubernetesResourceList list) {
    }

    @Override
    public MockResponse handleCreate(io.fabric8.mockwebserver.http.RecordedRequest request) {
        writes.incrementAndGet();
        return super.handleCreate(request);
    }

    @Override
    public MockResponse handleUpdate(io.fabric8.mockwebserver.http.RecordedRequest request) {
        writes.incrementAndGet();
        return super.handleUpdate(request);
    }

    @Override
    public MockResponse handlePatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
        writes.incrementAndGet();
        return super.handlePatch(request);
    }

    @Override
    public MockResponse handleDelete(String path) {
        writes.incrementAndGet();
        return super.handleDelete(path);
    }

    @Override
    public MockResponse handleGet(String path) {
        Optional<Page> page;
        try {
            page = Page.of(path);
        } catch (IllegalArgumentException e) {
            return new MockResponse().setResponseCode(HttpURLConnection.HTTP_BAD_REQUEST)
                    .setBody("bad limit or continue: " + e.getMessage());
        }
        if (page.isEmpty()) {
            return super.handleGet(path);
        }
        long version = writes.get();
        Optional<Sorted> hit = cached.filter(c -> c.writes() == version && c.rest().equals(page.get().rest()));
        if (hit.isEmpty()) {
            MockResponse all = super.handleGet(page.get().rest());
            if (all.code() != HttpURLConnection.HTTP_OK) {
                return all;
            }
            GenericKubernetesResourceList list = json.unmarshal(all.getBody().readUtf8(), GenericKubernetesResourceList.class);
            if (list.getItems() == null) {
                return all;
            }
            List<GenericKubernetesResource> sorted = new ArrayList<>(list.getItems());
            sorted.sort(BY_KEY);
            list.setItems(List.copyOf(sorted));
            hit = Optional.of(new Sorted(version, page.get().rest(), list));
            cached = hit;
        }
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK)
                .setBody(json.asJson(page.get().cut(hit.get().list())));
    }

    private static String key(GenericKubernetesResource r) {
        ObjectMeta m = r.getMetadata();
        return (m.getNamespace() == null ? "" : m.getNamespace()) + "/" + m.getName();
    }

    /** A list request with a limit: the limit, the key after which to start, the path without both. */
    private record Page(long limit, Optional<String> after, String rest) {
        private Page {
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be positive: " + limit);
            }
        }

        /** The page a GET asks for; empty for a watch or a GET without a positive limit. */
        static Optional<Page> of(String path) {
            int q = path.indexOf('?');
            if (q < 0) {
                return Optional.empty();
            }
            long limit = 0;
            Optional<String> after = Optional.empty();
            List<String> kept = new ArrayList<>();
            for (String param : path.substring(q + 1).split("&")) {
                String[] kv = param.split("=", 2);
                String value = kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                switch (kv[0]) {
                    case "watch" -> {
                        if (value.equals("true") || value.equals("1")) {
                            return Optional.empty();
                        }
                        kept.add(param);
                    }
                    case "limit" -> limit = Long.parseLong(value);
                    case "continue" -> after = value.isEmpty() ? Optional.empty()
                            : Optional.of(new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8));
                    default -> kept.add(param);
                }
            }
            String rest = path.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
            return limit > 0 ? Optional.of(new Page(limit, after, rest)) : Optional.empty();
        }

        /** This page of {@code whole} (sorted by key): its items after {@code after}, at most {@code limit}. */
        GenericKubernetesResourceList cut(GenericKubernetesResourceList whole) {
            List<GenericKubernetesResource> sorted = whole.getItems();
            int from = 0;
            if (after.isPresent()) {
                int lo = 0;
                int hi = sorted.size();
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (key(sorted.get(mid)).compareTo(after.get()) <= 0) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                from = lo;
            }
            int to = (int) Math.min(sorted.size(), from + limit);
            GenericKubernetesResourceList page = new GenericKubernetesResourceList();
            page.setApiVersion(whole.getApiVersion());
            page.setKind(whole.getKind());
            page.setMetadata(new io.fabric8.kubernetes.api.model.ListMeta());
            page.getMetadata().setResourceVersion(whole.getMetadata() == null ? null : whole.getMetadata().getResourceVersion());
            page.setItems(new ArrayList<>(sorted.subList(from, to)));
            if (to < sorted.size()) {
                String last = key(sorted.get(to - 1));
                page.getMetadata().setContinue(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
                page.getMetadata().setRemainingItemCount((long) (sorted.size() - to));
            }
            return page;
        }
    }
}
