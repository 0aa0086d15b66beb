package io.streamlearn.core.config;

import static io.streamlearn.core.config.Service.SERVE;
import static io.streamlearn.core.config.Service.TRAIN;

import java.util.List;

/** Keys of the prediction server, read by {@code serve} and by the server inside {@code train} (docs/serving.md). */
final class ServingKeys {

    private ServingKeys() {
    }

    static List<ConfigKey> keys() {
        return List.of(
                key("http.host", "string", "0.0.0.0", "interface the HTTP server binds to"),
                key("http.max-body-bytes", "long", 1048576, "larger request bodies are answered 413"),
                key("http.max-batch-instances", "int", 1000, "larger `instances` arrays are answered 413"),
                key("http.request-timeout-ms", "long", 10000, "a request not answered in time gets 503 `request_timeout`"),
                key("http.event-loops", "int", "one per core", "event loops answering HTTP, each with its own server on "
                        + "the shared port"),
                key("http.idle-timeout-ms", "long", 120000, "an idle connection is closed after this long"),
                key("http.max-header-bytes", "int", 8192, "largest header block of a request (431 beyond)"),
                key("http.max-initial-line-length", "int", 4096, "longest request line (414 beyond)"),
                key("http.max-connections", "int", 10000, "connections open at once; more are closed"),
                key("http.tls.cert-path", "path", null, "certificate chain (PEM); with `http.tls.key-path`, HTTPS only"),
                key("http.tls.key-path", "path", null, "private key (PEM) of `http.tls.cert-path`"),
                key("vertx.blocked-thread-check-interval-ms", "long", 1000, "how often Vert.x checks for blocked event "
                        + "loops"),
                key("vertx.max-event-loop-execute-time-ms", "long", 2000, "how long an event-loop task may run before "
                        + "a blocked-thread warning"),
                key("models.keep-versions", "int", 3, "newest versions of each model held for `versions/{v}` routes "
                        + "and rollback, besides the newest online and batch ones (`--keep-versions`)"),
                key("serving.log-sample-rate", "double", 1.0, "share of served predictions written to the predictions "
                        + "topic, 0 to 1 (`--log-sample-rate`)"),
                key("labels.token", "string (secret)", null, "bearer token `POST /v1/models/{name}/labels` requires; "
                        + "unset, labels are accepted from anyone who reaches the port"));
    }

    private static ConfigKey key(String name, String type, Object defaultValue, String meaning) {
        return ConfigKey.of(name, type, defaultValue, meaning, SERVE, TRAIN);
    }
}
