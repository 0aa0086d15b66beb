package io.streamlearn.deploy;

import static io.streamlearn.deploy.RepositoryFiles.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.streamlearn.cli.StreamlearnCommand;
import io.streamlearn.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/k8s: every resource kustomization.yaml lists parses into fabric8's typed Kubernetes model with no field the
 * model does not know (a typo would land in "additionalProperties"), and the workloads are wired as documented.
 */
class KubernetesManifestsTest {

    private static final List<HasMetadata> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void parseEveryResourceOfTheKustomization() throws Exception {
        for (KubernetesManifests.Parsed parsed : KubernetesManifests.kustomization()) {
            assertThat(parsed.unknownFields()).as(parsed.file() + " fields unknown to Kubernetes").isEmpty();
            RESOURCES.add(parsed.resource());
        }
    }

    @Test
    void aMisspelledFieldIsReportedAsUnknown() throws Exception {
        Map<String, Object> deployment = new org.yaml.snakeyaml.Yaml().load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo}
                spec:
                  replica: 2
                  template:
                    spec:
                      containers: [{name: c, image: i, readinesProbe: {httpGet: {path: /health/ready, port: 8080}}}]
                """);
        assertThat(KubernetesManifests.parse("typo.yaml", deployment).unknownFields())
                .containsExactlyInAnyOrder(".spec.replica", ".spec.template.spec.containers[0].readinesProbe");
    }

    private static <T extends HasMetadata> T resource(Class<T> type, String name) {
        return RESOURCES.stream().filter(type::isInstance).map(type::cast)
                .filter(resource -> resource.getMetadata().getName().equals(name)).findFirst().orElseThrow(
                        () -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void theTrainerIsAStatefulSetWithItsStreamsStateOnAPersistentVolume() {
        StatefulSet trainer = resource(StatefulSet.class, "streamlearn-train");
        assertThat(trainer.getSpec().getServiceName()).isEqualTo(resource(Service.class, "streamlearn-train").getMetadata().getName());
        assertThat(resource(Service.class, "streamlearn-train").getSpec().getClusterIP()).isEqualTo("None");
        Container container = trainer.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getArgs()).startsWith("train");
        String stateDir = container.getEnv().stream().filter(env -> env.getName().equals("STREAMLEARN_KAFKA_STATE_DIR"))
                .findFirst().orElseThrow().getValue();
        String claim = trainer.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertThat(container.getVolumeMounts()).anyMatch(mount -> mount.getName().equals(claim)
                && mount.getMountPath().equals(stateDir));
        assertHttpProbe(container.getLivenessProbe(), "/health/live");
        assertHttpProbe(container.getReadinessProbe(), "/health/ready");
    }

    private static List<PodTemplateSpec> pods() {
        return List.of(resource(StatefulSet.class, "streamlearn-train").getSpec().getTemplate(),
                resource(Deployment.class, "streamlearn-serve").getSpec().getTemplate(),
                resource(StatefulSet.class, "streamlearn-monitor").getSpec().getTemplate(),
                resource(Deployment.class, "streamlearn-retrain").getSpec().getTemplate());
    }

    /** The namespace enforces the restricted Pod Security Standard, and every pod meets it. */
    @Test
    void everyPodMeetsTheRestrictedPodSecurityStandardTheNamespaceEnforces() {
        assertThat(resource(Namespace.class, "streamlearn").getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        for (PodTemplateSpec pod : pods()) {
            String name = pod.getMetadata().getLabels().get("app.kubernetes.io/component");
            assertThat(pod.getSpec().getSecurityContext().getSeccompProfile()).as(name).isNotNull();
            assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSpec().getVolumes()).as(name).allMatch(volume -> volume.getHostPath() == null);
            for (Container container : pod.getSpec().getContainers()) {
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
                assertThat(container.getSecurityContext().getCapabilities().getAdd()).as(name).isNullOrEmpty();
                assertThat(container.getSecurityContext().getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
            }
        }
    }

    @Test
    void theDriftMonitorIsAStatefulSetWithItsStateOnAVolumeAndTheRetrainerADeploymentWithSecrets() {
        StatefulSet monitor = resource(StatefulSet.class, "streamlearn-monitor");
        assertThat(monitor.getSpec().getServiceName()).isEqualTo("streamlearn-monitor");
        Container container = monitor.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getArgs()).startsWith("monitor");
        String claim = monitor.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertThat(container.getVolumeMounts()).anyMatch(mount -> mount.getName().equals(claim)
                && mount.getMountPath().equals("/var/lib/streamlearn"));
        assertHttpProbe(container.getReadinessProbe(), "/health/ready");
        assertHttpProbe(container.getLivenessProbe(), "/health/live");

        Container retrain = resource(Deployment.class, "streamlearn-retrain").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(retrain.getArgs()).startsWith("retrain");
        assertHttpProbe(retrain.getReadinessProbe(), "/health/ready");
        assertThat(retrain.getEnvFrom()).anyMatch(source -> source.getSecretRef() != null
                && source.getSecretRef().getName().equals("streamlearn-secrets"));
        resource(Secret.class, "streamlearn-secrets");
    }

    /** The snapshot signing key reaches every service that writes or reads model bytes (issue 14, item 5). */
    @Test
    void everyServiceThatWritesOrReadsModelsTakesTheSecretsWithTheSigningKey() {
        Map<String, PodTemplateSpec> pods = Map.of(
                "streamlearn-train", resource(StatefulSet.class, "streamlearn-train").getSpec().getTemplate(),
                "streamlearn-monitor", resource(StatefulSet.class, "streamlearn-monitor").getSpec().getTemplate(),
                "streamlearn-retrain", resource(Deployment.class, "streamlearn-retrain").getSpec().getTemplate(),
                "streamlearn-serve", resource(Deployment.class, "streamlearn-serve").getSpec().getTemplate());
        pods.forEach((name, pod) -> assertThat(pod.getSpec().getContainers().get(0).getEnvFrom()).as(name)
                .anyMatch(source -> source.getSecretRef() != null
                        && source.getSecretRef().getName().equals("streamlearn-secrets")));
    }

    @Test
    void serveReplicasAreADeploymentWithReadinessAndLivenessOnTheHealthRoutesAndAnAutoscaler() {
        Deployment serve = resource(Deployment.class, "streamlearn-serve");
        Container container = serve.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getArgs()).startsWith("serve");
        assertHttpProbe(container.getReadinessProbe(), "/health/ready");
        assertHttpProbe(container.getLivenessProbe(), "/health/live");
        assertThat(container.getResources().getRequests()).containsKey("cpu");

        HorizontalPodAutoscaler hpa = resource(HorizontalPodAutoscaler.class, "streamlearn-serve");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("streamlearn-serve");
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
    }

    /** Issue "Scale out for real": several trainers and monitors share the partitions, each task with a warm standby. */
    @Test
    void theTrainerAndTheMonitorRunSeveralReplicasWithAStandbyOfEveryTaskOverEnoughPartitions() {
        StatefulSet trainer = resource(StatefulSet.class, "streamlearn-train");
        StatefulSet monitor = resource(StatefulSet.class, "streamlearn-monitor");
        assertThat(trainer.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(monitor.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);

        Map<String, String> settings = resource(ConfigMap.class, "streamlearn-config").getData();
        assertThat(Settings.keyOf("STREAMLEARN_KAFKA_NUM_STANDBY_REPLICAS")).isEqualTo("kafka.num.standby.replicas");
        assertThat(Integer.parseInt(settings.get("STREAMLEARN_KAFKA_NUM_STANDBY_REPLICAS"))).isGreaterThanOrEqualTo(1);
        for (StatefulSet workload : List.of(trainer, monitor)) {
            Container container = workload.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getEnvFrom()).as(workload.getMetadata().getName()).anyMatch(source ->
                    source.getConfigMapRef() != null && source.getConfigMapRef().getName().equals("streamlearn-config"));
            assertThat(container.getEnv()).noneMatch(env -> env.getName().equals("STREAMLEARN_APPLICATION_ID")
                    || env.getName().equals("STREAMLEARN_DRIFT_APPLICATION_ID"));
        }
        // The trainer creates events and labels; fewer partitions than pods would leave pods idle.
        List<String> args = trainer.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        int partitions = Integer.parseInt(args.get(args.indexOf("--partitions") + 1));
        assertThat(partitions).isGreaterThanOrEqualTo(Math.max(trainer.getSpec().getReplicas(),
                monitor.getSpec().getReplicas()));
    }

    /**
     * Issue #17: a real cluster replicates what the services create. Every workload whose command creates topics when
     * they are missing (the commands with a --replication-factor option) passes 3, and Kafka Streams' internal topics
     * (the changelogs of the trainers' and monitors' state) get 3 through kafka.replication.factor.
     */
    @Test
    void everyWorkloadThatCreatesTopicsCreatesThemWithThreeReplicas() {
        CommandLine cli = new CommandLine(new StreamlearnCommand());
        List<String> creators = new ArrayList<>();
        for (HasMetadata workload : RESOURCES) {
            PodTemplateSpec template = workload instanceof StatefulSet set ? set.getSpec().getTemplate()
                    : workload instanceof Deployment deployment ? deployment.getSpec().getTemplate() : null;
            if (template == null) {
                continue;
            }
            String name = workload.getMetadata().getName();
            List<String> args = template.getSpec().getContainers().get(0).getArgs();
            CommandLine command = cli.getSubcommands().get(args.get(0));
            assertThat(command).as(name + " runs a streamlearn command").isNotNull();
            if (command.getCommandSpec().findOption("--replication-factor") != null) {
                creators.add(name);
                assertThat(args).as(name).contains("--replication-factor");
                assertThat(args.get(args.indexOf("--replication-factor") + 1)).as(name).isEqualTo("3");
            }
        }
        assertThat(creators).containsExactlyInAnyOrder("streamlearn-train", "streamlearn-monitor", "streamlearn-retrain");

        assertThat(Settings.keyOf("STREAMLEARN_KAFKA_REPLICATION_FACTOR")).isEqualTo("kafka.replication.factor");
        assertThat(resource(ConfigMap.class, "streamlearn-config").getData())
                .containsEntry("STREAMLEARN_KAFKA_REPLICATION_FACTOR", "3");
    }

    @Test
    void aDisruptionTakesAtMostOneTrainerAndOneMonitorPodAtATime() {
        for (String name : List.of("streamlearn-train", "streamlearn-monitor")) {
            Map<String, Object> spec = RepositoryFiles.map(resource(GenericKubernetesResource.class, name)
                    .getAdditionalProperties().get("spec"));
            assertThat(spec.get("maxUnavailable")).as(name).isEqualTo(1);
            // Readiness probes keep pods unready until they serve: an unready pod must not block a node drain.
            assertThat(spec.get("unhealthyPodEvictionPolicy")).as(name).isEqualTo("AlwaysAllow");
            LabelSelector selector = KubernetesManifests.labelSelector(spec.get("selector"));
            assertThat(selector.getMatchLabels()).as(name).isEqualTo(
                    resource(StatefulSet.class, name).getSpec().getSelector().getMatchLabels());
        }
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    @Test
    void everyWorkloadIsScrapedRunsAsNonRootAndReadsOnlyConfigMapsAndSecretsThatExist() {
        for (PodTemplateSpec template : List.of(resource(StatefulSet.class, "streamlearn-train").getSpec().getTemplate(),
                resource(Deployment.class, "streamlearn-serve").getSpec().getTemplate(),
                resource(StatefulSet.class, "streamlearn-monitor").getSpec().getTemplate(),
                resource(Deployment.class, "streamlearn-retrain").getSpec().getTemplate())) {
            Map<String, String> annotations = template.getMetadata().getAnnotations();
            assertThat(annotations).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/metrics")
                    .containsEntry("prometheus.io/port", "8080").containsKey("prometheus.io/job");
            Container container = template.getSpec().getContainers().get(0);
            assertThat(container.getPorts()).anyMatch(port -> port.getName().equals("http") && port.getContainerPort() == 8080);
            assertThat(container.getArgs()).containsSequence("--port", "8080");
            assertThat(template.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(template.getSpec().getEnableServiceLinks()).as("no STREAMLEARN_* service variables").isFalse();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            for (EnvFromSource source : container.getEnvFrom()) {
                if (source.getConfigMapRef() != null) {
                    resource(ConfigMap.class, source.getConfigMapRef().getName());
                } else {
                    resource(Secret.class, source.getSecretRef().getName());
                }
            }
        }
    }

    /** Ingress to every streamlearn pod on its HTTP port only, from the namespace and from Prometheus; egress open. */
    @Test
    void aNetworkPolicyAdmitsOnlyTheHttpPortToEveryStreamlearnPod() {
        Map<String, Object> spec = RepositoryFiles.map(resource(GenericKubernetesResource.class, "streamlearn")
                .getAdditionalProperties().get("spec"));
        Map<String, String> selected = KubernetesManifests.labelSelector(spec.get("podSelector")).getMatchLabels();
        for (PodTemplateSpec pod : pods()) {
            assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(selected);
            assertThat(pod.getSpec().getContainers().get(0).getPorts())
                    .anyMatch(port -> port.getName().equals("http") && port.getContainerPort() == 8080);
        }
        assertThat(list(spec.get("policyTypes"))).containsExactly("Ingress");
        List<Object> ingress = list(spec.get("ingress"));
        assertThat(ingress).isNotEmpty();
        for (Object item : ingress) {
            Map<String, Object> rule = RepositoryFiles.map(item);
            assertThat(list(rule.get("ports"))).as("every rule names its ports").isNotEmpty()
                    .allSatisfy(port -> assertThat(RepositoryFiles.map(port)).containsEntry("port", 8080)
                            .containsEntry("protocol", "TCP"));
            List<Map<String, Object>> peers = list(rule.get("from")).stream().map(RepositoryFiles::map).toList();
            assertThat(peers).as("the whole namespace").anyMatch(peer -> peer.keySet().equals(Set.of("podSelector"))
                    && RepositoryFiles.map(peer.get("podSelector")).isEmpty());
            assertThat(peers).as("Prometheus' namespace").anyMatch(peer -> peer.containsKey("namespaceSelector"));
            assertThat(peers).as("no ipBlock").noneMatch(peer -> peer.containsKey("ipBlock"));
        }
    }

    /**
     * deploy/k8s/servicemonitors.yaml (Prometheus Operator, applied on its own): one ServiceMonitor per Service, each
     * selecting exactly that Service by its labels, scraping one of its port names, and setting the job label the pods'
     * prometheus.io/job annotation sets (the alerts select on it). Read generically: the CRD has no fabric8 model here.
     */
    @Test
    void theServiceMonitorsScrapeEveryServiceByItsLabelsAndPortNameUnderTheAnnotationsJob() throws Exception {
        Map<String, Object> kustomization = RepositoryFiles.yaml(KubernetesManifests.K8S.resolve("kustomization.yaml"));
        assertThat(list(kustomization.get("resources"))).as("needs the operator's CRDs").doesNotContain("servicemonitors.yaml");
        List<Map<String, Object>> monitors = new ArrayList<>();
        try (var reader = java.nio.file.Files.newBufferedReader(KubernetesManifests.K8S.resolve("servicemonitors.yaml"))) {
            new org.yaml.snakeyaml.Yaml().loadAll(reader).forEach(document -> monitors.add(RepositoryFiles.map(document)));
        }
        List<Service> services = RESOURCES.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
        List<PodTemplateSpec> pods = pods();
        Set<String> scraped = new java.util.HashSet<>();
        for (Map<String, Object> monitor : monitors) {
            assertThat(monitor.keySet()).containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "spec");
            assertThat(monitor).containsEntry("apiVersion", "monitoring.coreos.com/v1").containsEntry("kind", "ServiceMonitor");
            Map<String, Object> metadata = RepositoryFiles.map(monitor.get("metadata"));
            String name = String.valueOf(metadata.get("name"));
            assertThat(metadata).as(name).containsEntry("namespace", kustomization.get("namespace"));
            Map<String, Object> spec = RepositoryFiles.map(monitor.get("spec"));
            assertThat(Set.of("selector", "endpoints", "namespaceSelector", "jobLabel")).as(name).containsAll(spec.keySet());
            Map<String, String> selector = KubernetesManifests.labelSelector(spec.get("selector")).getMatchLabels();
            List<Service> selected = services.stream().filter(service -> service.getMetadata().getLabels().entrySet()
                    .containsAll(selector.entrySet())).toList();
            assertThat(selected).as(name + " selects one Service").hasSize(1);
            Service service = selected.get(0);
            scraped.add(service.getMetadata().getName());
            String job = pods.stream().filter(pod -> pod.getMetadata().getLabels().entrySet()
                    .containsAll(service.getSpec().getSelector().entrySet())).findFirst().orElseThrow()
                    .getMetadata().getAnnotations().get("prometheus.io/job");
            List<Object> endpoints = list(spec.get("endpoints"));
            assertThat(endpoints).as(name).isNotEmpty();
            for (Object item : endpoints) {
                Map<String, Object> endpoint = RepositoryFiles.map(item);
                assertThat(Set.of("port", "path", "interval", "scrapeTimeout", "scheme", "relabelings"))
                        .as(name).containsAll(endpoint.keySet());
                assertThat(service.getSpec().getPorts()).as(name).anyMatch(port -> port.getName().equals(endpoint.get("port")));
                assertThat(endpoint).as(name).containsEntry("path", "/metrics");
                assertThat(list(endpoint.get("relabelings"))).as(name + " sets the alerts' job label")
                        .anySatisfy(relabel -> assertThat(RepositoryFiles.map(relabel)).containsEntry("targetLabel", "job")
                                .containsEntry("replacement", job));
            }
        }
        assertThat(scraped).containsExactlyInAnyOrderElementsOf(services.stream().map(s -> s.getMetadata().getName()).toList());
    }

    @Test
    void servicesSelectTheirWorkloadsPods() {
        assertThat(resource(Service.class, "streamlearn-serve").getSpec().getSelector())
                .isEqualTo(resource(Deployment.class, "streamlearn-serve").getSpec().getTemplate().getMetadata().getLabels());
        assertThat(resource(Service.class, "streamlearn-train").getSpec().getSelector())
                .isEqualTo(resource(StatefulSet.class, "streamlearn-train").getSpec().getTemplate().getMetadata().getLabels());
        assertThat(resource(Service.class, "streamlearn-monitor").getSpec().getSelector())
                .isEqualTo(resource(StatefulSet.class, "streamlearn-monitor").getSpec().getTemplate().getMetadata().getLabels());
        assertThat(resource(Service.class, "streamlearn-retrain").getSpec().getSelector())
                .isEqualTo(resource(Deployment.class, "streamlearn-retrain").getSpec().getTemplate().getMetadata().getLabels());
        assertThat(RESOURCES).extracting(resource -> resource.getKind()).contains("Namespace", "ConfigMap", "Secret",
                "Service", "StatefulSet", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy");
        assertThat(Set.copyOf(RESOURCES.stream().map(resource -> resource.getKind() + "/" + resource.getMetadata().getName())
                .toList())).hasSameSizeAs(RESOURCES);
    }
}
