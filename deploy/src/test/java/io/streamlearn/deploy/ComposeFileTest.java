package io.streamlearn.deploy;

import static io.streamlearn.deploy.RepositoryFiles.list;
import static io.streamlearn.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker-compose.yml, checked structurally (no Docker here): the services, their commands, the start order
 * through health checks, and that every mounted file exists and is what the mounted-into program expects.
 */
class ComposeFileTest {

    private static final Path COMPOSE = RepositoryFiles.deploy("docker-compose.yml");

    private static final List<String> TRAINERS = List.of("train", "train-2");
    private static final List<String> MONITORS = List.of("monitor", "monitor-2");

    private static Map<String, Object> services() throws Exception {
        return map(RepositoryFiles.yaml(COMPOSE).get("services"));
    }

    private static Map<String, Object> service(String name) throws Exception {
        return map(services().get(name));
    }

    @Test
    void runsKafkaTwoTrainersTwoServeReplicasTwoDriftMonitorsTheRetrainerPrometheusAndGrafana() throws Exception {
        assertThat(services().keySet()).containsExactlyInAnyOrder("kafka", "train", "train-2", "serve-1", "serve-2",
                "monitor", "monitor-2", "retrain", "replay", "prometheus", "grafana");
        for (String train : TRAINERS) {
            assertThat(list(service(train).get("command"))).startsWith("train", "--bootstrap-servers", "kafka:9092");
        }
        for (String monitor : MONITORS) {
            assertThat(list(service(monitor).get("command"))).startsWith("monitor", "--bootstrap-servers", "kafka:9092");
        }
        assertThat(list(service("retrain").get("command"))).startsWith("retrain", "--bootstrap-servers", "kafka:9092");
        for (String serve : List.of("serve-1", "serve-2")) {
            assertThat(list(service(serve).get("command"))).startsWith("serve", "--bootstrap-servers", "kafka:9092");
            assertThat(service(serve).get("image")).isEqualTo(service("train").get("image"));
        }
    }

    @Test
    void kafkaIsTheOfficialImageOfTheBuildsKafkaVersionInKraftMode() throws Exception {
        Map<String, Object> kafka = service("kafka");
        assertThat(kafka.get("image")).isEqualTo("apache/kafka:" + System.getProperty("kafka.version"));
        Map<String, Object> environment = map(kafka.get("environment"));
        assertThat(environment).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:9093")
                .containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://kafka:9092,EXTERNAL://localhost:29092")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", 1)
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", 1)
                .containsKey("CLUSTER_ID")
                .doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
    }

    @Test
    void servicesStartInOrderOnlyOnceWhatTheyNeedIsHealthy() throws Exception {
        assertThat(dependencies("train")).containsEntry("kafka", "service_healthy");
        assertThat(dependencies("serve-1")).containsEntry("kafka", "service_healthy").containsEntry("train", "service_healthy");
        assertThat(dependencies("serve-2")).isEqualTo(dependencies("serve-1"));
        assertThat(dependencies("replay")).containsEntry("train", "service_healthy");
        assertThat(dependencies("train-2")).containsEntry("kafka", "service_healthy").containsEntry("train", "service_healthy");
        assertThat(dependencies("monitor")).containsEntry("kafka", "service_healthy");
        assertThat(dependencies("monitor-2")).containsEntry("kafka", "service_healthy").containsEntry("monitor", "service_healthy");
        assertThat(dependencies("retrain")).containsEntry("kafka", "service_healthy");
        assertThat(dependencies("grafana")).containsEntry("prometheus", "service_healthy");
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            for (Map.Entry<String, String> dependency : dependencies(entry.getKey()).entrySet()) {
                assertThat(services()).containsKey(dependency.getKey());
                if (dependency.getValue().equals("service_healthy")) {
                    assertThat(service(dependency.getKey())).as(entry.getKey() + " waits for the health of "
                            + dependency.getKey()).containsKey("healthcheck");
                }
            }
        }
    }

    private static Map<String, String> dependencies(String name) throws Exception {
        Map<String, String> conditions = new java.util.HashMap<>();
        Object dependsOn = service(name).get("depends_on");
        if (dependsOn != null) {
            map(dependsOn).forEach((service, spec) -> conditions.put(service, String.valueOf(map(spec).get("condition"))));
        }
        return conditions;
    }

    @Test
    void theTrainerIsLiveCheckedAndTheReplicasAreReadyChecked() throws Exception {
        for (String name : List.of("train", "train-2", "monitor", "monitor-2")) {
            assertThat(String.join(" ", healthcheck(name))).as(name).contains("http://localhost:8080/health/live");
        }
        assertThat(String.join(" ", healthcheck("serve-1"))).contains("http://localhost:8080/health/ready");
        assertThat(healthcheck("serve-2")).isEqualTo(healthcheck("serve-1"));
        assertThat(String.join(" ", healthcheck("kafka"))).contains("kafka-broker-api-versions.sh");
    }

    private static List<String> healthcheck(String name) throws Exception {
        return list(map(service(name).get("healthcheck")).get("test")).stream().map(String::valueOf).toList();
    }

    @Test
    void theImageIsBuiltFromTheRepositoryWithDeploysDockerfile() throws Exception {
        Map<String, Object> build = map(service("train").get("build"));
        Path context = COMPOSE.getParent().resolve(String.valueOf(build.get("context"))).normalize();
        assertThat(context).isEqualTo(RepositoryFiles.root());
        assertThat(context.resolve(String.valueOf(build.get("dockerfile")))).isRegularFile();
    }

    @Test
    void everyMountedFileExistsAndPrometheusGetsTheRulesItsConfigNames() throws Exception {
        for (String name : List.of("prometheus", "grafana")) {
            for (Object volume : list(service(name).get("volumes"))) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(Files.exists(COMPOSE.getParent().resolve(source))).as(name + " mounts " + source).isTrue();
                }
            }
        }
        assertThat(list(service("prometheus").get("volumes")))
                .contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                        "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        assertThat(list(RepositoryFiles.yaml(RepositoryFiles.deploy("prometheus/prometheus.yml")).get("rule_files")))
                .containsExactly("alerts.yml");
    }

    @Test
    void prometheusScrapesEveryTrainerMonitorAndServeReplicaOnItsHttpPort() throws Exception {
        Map<String, List<Object>> targets = new java.util.HashMap<>();
        for (Object job : list(RepositoryFiles.yaml(RepositoryFiles.deploy("prometheus/prometheus.yml")).get("scrape_configs"))) {
            Map<String, Object> config = map(job);
            targets.put(String.valueOf(config.get("job_name")),
                    list(map(list(config.get("static_configs")).get(0)).get("targets")));
        }
        assertThat(targets.get("streamlearn-train")).containsExactly("train:8080", "train-2:8080");
        assertThat(targets.get("streamlearn-drift")).containsExactly("monitor:8080", "monitor-2:8080");
        assertThat(targets.get("streamlearn-serve")).containsExactly("serve-1:8080", "serve-2:8080");
        assertThat(list(service("train").get("command"))).containsSequence("--port", "8080");
        assertThat(list(service("serve-1").get("command"))).containsSequence("--port", "8080");
    }

    /**
     * Issue "Scale out for real": the trainer and the monitor run as several instances of one Kafka Streams application
     * each (same command, so the same application id), each with its own state volume and host port, and standby
     * replicas of every task.
     */
    @Test
    void trainersAndMonitorsAreSeveralInstancesOfOneStreamsApplicationEachWithItsOwnStateAndPort() throws Exception {
        for (List<String> instances : List.of(TRAINERS, MONITORS)) {
            Set<String> volumes = new HashSet<>();
            Set<String> hostPorts = new HashSet<>();
            for (String name : instances) {
                Map<String, Object> instance = service(name);
                assertThat(instance.get("command")).as(name).isEqualTo(service(instances.get(0)).get("command"));
                Map<String, Object> environment = map(instance.get("environment"));
                assertThat(environment).as(name).doesNotContainKeys("STREAMLEARN_APPLICATION_ID",
                        "STREAMLEARN_DRIFT_APPLICATION_ID");
                assertThat(Integer.parseInt(String.valueOf(environment.get("STREAMLEARN_KAFKA_NUM_STANDBY_REPLICAS"))))
                        .as(name + " standby replicas").isGreaterThanOrEqualTo(1);
                List<String> stateVolumes = list(instance.get("volumes")).stream().map(String::valueOf)
                        .filter(volume -> volume.endsWith(":/var/lib/streamlearn")).toList();
                assertThat(stateVolumes).as(name + " state volume").hasSize(1);
                assertThat(volumes.add(stateVolumes.get(0).split(":")[0])).as(name + " has its own state volume").isTrue();
                List<String> ports = list(instance.get("ports")).stream().map(String::valueOf).toList();
                assertThat(ports).as(name + " ports").hasSize(1);
                assertThat(hostPorts.add(ports.get(0).split(":")[0])).as(name + " has its own host port").isTrue();
            }
            assertThat(instances).hasSizeGreaterThanOrEqualTo(2);
            assertThat(map(RepositoryFiles.yaml(COMPOSE).get("volumes")).keySet()).containsAll(volumes);
        }
        List<Object> command = list(service("train").get("command"));
        assertThat(Integer.parseInt(String.valueOf(command.get(command.indexOf("--partitions") + 1))))
                .as("partitions of events and labels").isGreaterThanOrEqualTo(TRAINERS.size());
        Set<String> hostPorts = new HashSet<>();
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            for (Object port : list(map(entry.getValue()).getOrDefault("ports", List.of()))) {
                String[] parts = String.valueOf(port).split(":");
                assertThat(hostPorts.add(parts[parts.length - 2])).as(entry.getKey() + " " + port).isTrue();
            }
        }
    }

    /**
     * Compose runs one broker, so whatever the services create has one replica: no command asks for more (the
     * option's default is 1) and no setting raises Kafka Streams' replication.factor. The Kubernetes manifests ask for
     * 3 (KubernetesManifestsTest).
     */
    @Test
    void topicsOnTheSingleBrokerHaveOneReplica() throws Exception {
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            Map<String, Object> service = map(entry.getValue());
            List<Object> command = list(service.getOrDefault("command", List.of()));
            int option = command.indexOf("--replication-factor");
            if (option >= 0) {
                assertThat(command.get(option + 1)).as(entry.getKey()).isEqualTo("1");
            }
            Object environment = service.get("environment");
            if (environment instanceof Map<?, ?> variables) {
                assertThat(variables.get("STREAMLEARN_KAFKA_REPLICATION_FACTOR")).as(entry.getKey()).isIn(null, "1", 1);
            }
        }
    }

    private static Map<String, String> listeners(String value) {
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        for (String listener : value.split(",")) {
            byName.put(listener.substring(0, listener.indexOf("://")), listener.substring(listener.indexOf("://") + 3));
        }
        return byName;
    }

    /** Containers reach Kafka as kafka:9092, clients on the host as localhost:29092 (a second, published listener). */
    @Test
    void kafkaHasAContainerListenerAndAHostListenerPublishedOnTheHostsLoopback() throws Exception {
        Map<String, Object> kafka = service("kafka");
        Map<String, Object> environment = map(kafka.get("environment"));
        Map<String, String> bound = listeners(String.valueOf(environment.get("KAFKA_LISTENERS")));
        Map<String, String> advertised = listeners(String.valueOf(environment.get("KAFKA_ADVERTISED_LISTENERS")));
        Map<String, String> protocols = listeners(String.valueOf(environment.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"))
                .replace(":", "://"));
        assertThat(bound.keySet()).containsExactlyInAnyOrder("PLAINTEXT", "CONTROLLER", "EXTERNAL");
        assertThat(protocols.keySet()).containsAll(bound.keySet());
        assertThat(advertised).containsExactly(Map.entry("PLAINTEXT", "kafka:9092"), Map.entry("EXTERNAL", "localhost:29092"));
        assertThat(bound).containsEntry("PLAINTEXT", ":9092").containsEntry("EXTERNAL", ":29092");
        assertThat(environment).containsEntry("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT");
        assertThat(list(kafka.get("ports"))).containsExactly("127.0.0.1:29092:29092");
        // Every container still uses the internal listener.
        for (Map.Entry<String, Object> entry : services().entrySet()) {
            Object command = map(entry.getValue()).get("command");
            if (command instanceof List<?> args && args.contains("--bootstrap-servers")) {
                assertThat(args.get(args.indexOf("--bootstrap-servers") + 1)).as(entry.getKey()).isEqualTo("kafka:9092");
            }
        }
    }

    /** The admin routes of the serve replicas and the retrainer answer to one token, a marked demo value by default. */
    @Test
    void theServeReplicasAndTheRetrainerHaveTheSameAdminTokenMarkedAsADemoValue() throws Exception {
        Set<Object> tokens = new HashSet<>();
        for (String name : List.of("serve-1", "serve-2", "retrain")) {
            Map<String, Object> environment = map(service(name).get("environment"));
            assertThat(environment).as(name).containsKey("STREAMLEARN_ADMIN_TOKEN");
            tokens.add(environment.get("STREAMLEARN_ADMIN_TOKEN"));
        }
        assertThat(tokens).hasSize(1);
        String token = String.valueOf(tokens.iterator().next());
        assertThat(token).as("overridable from the environment, with a demo default")
                .startsWith("${STREAMLEARN_ADMIN_TOKEN:-").contains("demo").contains("change-me");
        assertThat(Files.readString(COMPOSE)).contains("DEMO VALUE, CHANGE IT");
    }
}
