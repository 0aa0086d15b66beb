package io.streamlearn.deploy;

import static io.streamlearn.deploy.RepositoryFiles.list;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * deploy/k8s's resources as kustomization.yaml lists them, each read into fabric8's typed Kubernetes model with the
 * paths of the fields Kubernetes does not know (a typo lands in fabric8's "additionalProperties").
 */
final class KubernetesManifests {

    static final Path K8S = RepositoryFiles.deploy("k8s");
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class, "v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class,
            "v1/Service", Service.class, "apps/v1/Deployment", Deployment.class, "apps/v1/StatefulSet", StatefulSet.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", GenericKubernetesResource.class,
            "networking.k8s.io/v1/NetworkPolicy", GenericKubernetesResource.class);
    /**
     * The fields of a policy/v1 PodDisruptionBudget's spec. fabric8's typed model of it (kubernetes-model-policy) is
     * not a dependency of this module, so a budget is read generically: its spec keys against this list, its selector
     * as core's typed LabelSelector.
     */
    private static final Set<String> DISRUPTION_BUDGET_SPEC = Set.of("maxUnavailable", "minAvailable", "selector",
            "unhealthyPodEvictionPolicy");

    /**
     * The fields of a networking.k8s.io/v1 NetworkPolicy (kubernetes-model-networking is not a dependency either): its
     * spec, an ingress rule, a peer of one and a port; selectors are read as core's typed LabelSelector.
     */
    private static final Set<String> NETWORK_POLICY_SPEC = Set.of("podSelector", "policyTypes", "ingress", "egress");
    private static final Set<String> NETWORK_POLICY_RULE = Set.of("from", "to", "ports");
    private static final Set<String> NETWORK_POLICY_PEER = Set.of("podSelector", "namespaceSelector", "ipBlock");
    private static final Set<String> NETWORK_POLICY_PORT = Set.of("protocol", "port", "endPort");

    /** One resource: its file, the resource in fabric8's model, and the paths of its fields unknown to Kubernetes. */
    record Parsed(String file, HasMetadata resource, List<String> unknownFields) {
    }

    private KubernetesManifests() {
    }

    /** Every resource kustomization.yaml lists, in its order. */
    static List<Parsed> kustomization() throws Exception {
        Map<String, Object> kustomization = RepositoryFiles.yaml(K8S.resolve("kustomization.yaml"));
        assertThat(kustomization).containsEntry("kind", "Kustomization");
        List<Parsed> parsed = new ArrayList<>();
        for (Object file : list(kustomization.get("resources"))) {
            parsed.add(parse(String.valueOf(file), RepositoryFiles.yaml(K8S.resolve(String.valueOf(file)))));
        }
        return parsed;
    }

    /** One resource's document, read by its apiVersion and kind. */
    static Parsed parse(String file, Map<String, Object> document) throws Exception {
        Class<? extends HasMetadata> type = KINDS.get(document.get("apiVersion") + "/" + document.get("kind"));
        assertThat(type).as(file + ": a known apiVersion and kind").isNotNull();
        HasMetadata resource = JSON.convertValue(document, type);
        List<String> unknown = type != GenericKubernetesResource.class
                ? unknownFields(resource, "", new IdentityHashMap<>())
                : resource.getKind().equals("NetworkPolicy")
                        ? networkPolicyUnknownFields((GenericKubernetesResource) resource)
                        : disruptionBudgetUnknownFields((GenericKubernetesResource) resource);
        return new Parsed(file, resource, unknown);
    }

    /** A label selector of a resource read generically, as core's typed LabelSelector. */
    static LabelSelector labelSelector(Object selector) {
        return JSON.convertValue(selector, LabelSelector.class);
    }

    /** Paths of non-empty additionalProperties anywhere in the parsed object graph. */
    private static List<String> unknownFields(Object value, String path, Map<Object, Boolean> seen) throws Exception {
        List<String> unknown = new ArrayList<>();
        if (value == null || seen.put(value, true) != null) {
            return unknown;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
            }
            return unknown;
        }
        if (value instanceof Map<?, ?> entries) {
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                unknown.addAll(unknownFields(entry.getValue(), path + "." + entry.getKey(), seen));
            }
            return unknown;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return unknown;
        }
        for (PropertyDescriptor property : Introspector.getBeanInfo(value.getClass(), Object.class).getPropertyDescriptors()) {
            if (property.getReadMethod() == null) {
                continue;
            }
            Object child = property.getReadMethod().invoke(value);
            if (property.getName().equals("additionalProperties")) {
                ((Map<?, ?>) child).keySet().forEach(key -> unknown.add(path + "." + key));
            } else {
                unknown.addAll(unknownFields(child, path + "." + property.getName(), seen));
            }
        }
        return unknown;
    }

    private static List<String> disruptionBudgetUnknownFields(GenericKubernetesResource budget) throws Exception {
        Map<String, Object> spec = RepositoryFiles.map(budget.getAdditionalProperties().get("spec"));
        List<String> unknown = unknownBesideSpec(budget);
        unknown.addAll(unknownKeys(spec, DISRUPTION_BUDGET_SPEC, ".spec"));
        unknown.addAll(unknownFields(labelSelector(spec.get("selector")), ".spec.selector",
                new IdentityHashMap<>()));
        return unknown;
    }

    private static List<String> networkPolicyUnknownFields(GenericKubernetesResource policy) throws Exception {
        Map<String, Object> spec = RepositoryFiles.map(policy.getAdditionalProperties().get("spec"));
        List<String> unknown = unknownBesideSpec(policy);
        unknown.addAll(unknownKeys(spec, NETWORK_POLICY_SPEC, ".spec"));
        unknown.addAll(unknownFields(labelSelector(spec.get("podSelector")), ".spec.podSelector",
                new IdentityHashMap<>()));
        for (String direction : List.of("ingress", "egress")) {
            for (Object item : spec.get(direction) == null ? List.of() : list(spec.get(direction))) {
                Map<String, Object> rule = RepositoryFiles.map(item);
                String path = ".spec." + direction;
                unknown.addAll(unknownKeys(rule, NETWORK_POLICY_RULE, path));
                for (String peers : List.of("from", "to")) {
                    for (Object peer : rule.get(peers) == null ? List.of() : list(rule.get(peers))) {
                        Map<String, Object> fields = RepositoryFiles.map(peer);
                        unknown.addAll(unknownKeys(fields, NETWORK_POLICY_PEER, path + "." + peers));
                        for (String selector : List.of("podSelector", "namespaceSelector")) {
                            unknown.addAll(unknownFields(labelSelector(fields.get(selector)),
                                    path + "." + peers + "." + selector, new IdentityHashMap<>()));
                        }
                    }
                }
                for (Object port : rule.get("ports") == null ? List.of() : list(rule.get("ports"))) {
                    unknown.addAll(unknownKeys(RepositoryFiles.map(port), NETWORK_POLICY_PORT, path + ".ports"));
                }
            }
        }
        return unknown;
    }

    /** Unknown fields of a resource fabric8 has no model for, outside its spec: in its metadata, and keys beside spec. */
    private static List<String> unknownBesideSpec(GenericKubernetesResource resource) throws Exception {
        List<String> unknown = new ArrayList<>(unknownFields(resource.getMetadata(), ".metadata",
                new IdentityHashMap<>()));
        resource.getAdditionalProperties().keySet().stream().filter(key -> !key.equals("spec"))
                .forEach(key -> unknown.add("." + key));
        return unknown;
    }

    private static List<String> unknownKeys(Map<String, Object> fields, Set<String> known, String path) {
        return fields.keySet().stream().filter(key -> !known.contains(key)).map(key -> path + "." + key).toList();
    }
}
