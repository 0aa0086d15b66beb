package io.streamlearn.runtime.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * An Admin client as every service opens one: on its cluster, with its {@code kafka.*} settings (security, timeouts).
 */
public final class KafkaAdmin {

    private KafkaAdmin() {
    }

    public static Admin create(String bootstrapServers, Map<String, String> kafkaProperties) {
        Map<String, Object> properties = new HashMap<>(kafkaProperties);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(properties);
    }
}
