package dev.linen.flaxd.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API client's JSON mapping for flaxd, which only reads Nodes (name, creation time, pod CIDRs,
 * addresses) and never writes an object back. The bulk of a real Node's JSON is what the kubelet
 * reports in its status (up to 50 container images, conditions, capacity, node info) and the
 * managed-fields bookkeeping in its metadata: this mapping skips those while parsing, so a list of
 * 5000 Nodes never becomes 5000 full object graphs (the parser still reads the bytes, but allocates
 * nothing for them). Only for a client that never updates, patches or replaces an object: a Node
 * read here lacks those fields. Immutable and thread-safe.
 */
public final class NodeSerialization {
    private NodeSerialization() {
    }

    /** A new serialization that skips every Node status field but addresses, and metadata's managed fields. */
    public static KubernetesSerialization readOnly() {
        // as fabric8's own default (Jackson 2 defaults, its JDK types module), plus the mixins
        JsonMapper mapper = JsonMapper.builderWithJackson2Defaults()
                .addModule(new Jackson2JdkTypesModule())
                .addMixIn(NodeStatus.class, SkipStatus.class)
                .addMixIn(ObjectMeta.class, SkipManagedFields.class)
                .build();
        return new KubernetesSerialization(mapper, true);
    }

    @JsonIgnoreProperties({"images", "conditions", "capacity", "allocatable", "nodeInfo", "daemonEndpoints",
        "volumesInUse", "volumesAttached", "config", "runtimeHandlers", "features", "phase"})
    private abstract static class SkipStatus {
    }

    @JsonIgnoreProperties({"managedFields"})
    private abstract static class SkipManagedFields {
    }
}
