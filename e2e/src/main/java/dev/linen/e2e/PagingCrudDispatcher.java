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
 * dispatcher unchanged; a malformed limit or token is answered 400. Thread-safe as the CRUD dispatcher is.
 */
public final class PagingCrudDispatcher extends KubernetesCrudDispatcher {
    private static final Comparator<GenericKubernetesResource> BY_KEY = Comparator.comparing(PagingCrudDispatcher::key);

    private final KubernetesSerialization json = new KubernetesSerialization();

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
        MockResponse all = super.handleGet(page.get().rest());
        if (all.code() != HttpURLConnection.HTTP_OK) {
            return all;
        }
        GenericKubernetesResourceList list = json.unmarshal(all.getBody().readUtf8(), GenericKubernetesResourceList.class);
        if (list.getItems() == null) {
            return all;
        }
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(json.asJson(page.get().cut(list)));
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

        /** This page of {@code list}: its items after {@code after}, at most {@code limit}. */
        GenericKubernetesResourceList cut(GenericKubernetesResourceList list) {
            List<GenericKubernetesResource> sorted = new ArrayList<>(list.getItems());
            sorted.sort(BY_KEY);
            List<GenericKubernetesResource> rest = sorted.stream()
                    .filter(r -> after.isEmpty() || key(r).compareTo(after.get()) > 0).toList();
            List<GenericKubernetesResource> items = rest.subList(0, (int) Math.min(limit, rest.size()));
            list.setItems(new ArrayList<>(items));
            if (items.size() < rest.size()) {
                String last = key(items.get(items.size() - 1));
                list.getMetadata().setContinue(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
                list.getMetadata().setRemainingItemCount((long) (rest.size() - items.size()));
            }
            return list;
        }
    }
}
