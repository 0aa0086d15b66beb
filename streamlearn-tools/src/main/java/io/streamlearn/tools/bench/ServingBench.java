package io.streamlearn.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.runtime.http.ConnectionLimit;
import io.streamlearn.runtime.http.HttpServerSettings;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.http.EventLoopServers;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The prediction server under HTTP load from {@code wrk}, against localhost only and bounded in time: single
 * predictions, batch predictions and, as the baseline, a trivial Vert.x handler (router, body handler, a constant JSON
 * answer) fed the same request bodies, all in one run. The model is a Hoeffding tree trained on the whole dataset in
 * file order, as the demo's trainer ends up with it, encoded as a snapshot and restored from it by the server.
 */
public final class ServingBench implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dataset dataset;
    private final ServedModel model;
    private final PredictionServer server;
    private final Vertx trivialVertx;
    private final int trivialPort;
    private final Path scripts;

    /**
     * @param eventLoops HTTP event loops of both servers, the prediction server's and the trivial one's, so that the
     *                   two are compared on equal terms
     */
    public ServingBench(Dataset dataset, String learnerSpec, int eventLoops) throws IOException {
        this.dataset = dataset;
        byte[] snapshot = ModelSnapshotCodec.encode(
                ModelSnapshot.trainedOn(dataset, learnerSpec, System.currentTimeMillis()));
        this.model = ServedModel.restore(ModelSnapshotCodec.decode(snapshot));
        this.server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                        .withHttpEventLoops(eventLoops), new ModelRegistry(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server.snapshots().load(dataset.schema().model(), snapshot, "bench");
        this.trivialVertx = Vertx.vertx();
        // Built as the prediction server's: one server per event loop, each with its own router.
        this.trivialPort = EventLoopServers.listen(trivialVertx, "127.0.0.1", 0, eventLoops, () -> {
            Router router = Router.router(trivialVertx);
            router.post("/trivial").handler(BodyHandler.create(false)).handler(context -> context.response()
                    .putHeader("Content-Type", "application/json").end("{\"ok\":true}"));
            return router;
        }, HttpServerSettings.defaults().options(),
                new ConnectionLimit(HttpServerSettings.DEFAULT_MAX_CONNECTIONS)).await().actualPort();
        this.scripts = Files.createTempDirectory("streamlearn-wrk");
    }

    /** One load run. */
    public record Result(String name, double requestsPerSecond, int instancesPerRequest, double p50Ms, double p99Ms,
            long non2xx) {

        public double instancesPerSecond() {
            return requestsPerSecond * instancesPerRequest;
        }
    }

    public Result trivial(Wrk wrk, String body) throws IOException, InterruptedException {
        return run(wrk, "trivial Vert.x handler (same body as single)", trivialPort, "/trivial", body, 1);
    }

    public Result single(Wrk wrk) throws IOException, InterruptedException {
        return run(wrk, "single prediction `/v1/.../predict`", server.port(), predictPath(), singleBody(), 1);
    }

    public Result batch(Wrk wrk, int instances) throws IOException, InterruptedException {
        return run(wrk, "batch of " + instances + " `/v1/.../predict`", server.port(), predictPath(),
                batchBody(instances), instances);
    }

    /** The same rows as one Open Inference Protocol {@code input} matrix, asking for the predicted classes only. */
    public Result tensorBatch(Wrk wrk, int instances) throws IOException, InterruptedException {
        return run(wrk, "batch of " + instances + " `/v2/.../infer` (one FP64 matrix, output `predict`)", server.port(),
                "/v2/models/" + dataset.schema().model() + "/infer", tensorBody(instances), instances);
    }

    /**
     * The same matrix in the protocol's binary tensor data extension: the JSON object without {@code data}, then the
     * 8-byte little-endian doubles.
     */
    public Result binaryTensorBatch(Wrk wrk, int instances) throws IOException, InterruptedException {
        ObjectNode header = (ObjectNode) JSON.readTree(tensorBody(instances));
        ObjectNode input = (ObjectNode) header.get("inputs").get(0);
        ByteBuffer data = ByteBuffer.allocate(input.get("data").size() * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        input.remove("data").forEach(value -> data.putDouble(value.isNull() ? Double.NaN : value.doubleValue()));
        input.putObject("parameters").put("binary_data_size", data.capacity());
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(json, json.length + data.capacity());
        System.arraycopy(data.array(), 0, body, json.length, data.capacity());
        return run(wrk, "batch of " + instances + " `/v2/.../infer`, the same matrix as binary tensor data",
                server.port(), "/v2/models/" + dataset.schema().model() + "/infer", body,
                Map.of("Content-Type", "application/octet-stream",
                        "Inference-Header-Content-Length", Integer.toString(json.length)), instances);
    }

    public String singleBody() {
        ObjectNode body = JSON.createObjectNode();
        body.set("features", JSON.valueToTree(dataset.rows().get(0).features()));
        return body.toString();
    }

    /**
     * In-process prediction rate of the served model on the same batch, instances per second: the median of
     * {@code rounds} one-second rounds after as many warm-up rounds (the JMH benchmark in {@code bench/} measures the
     * same with JMH's rigour; this one is taken in the same run as the HTTP figures).
     */
    public double inProcessRate(int instances, int rounds) throws Exception {
        List<ObjectNode> batch = instances(instances);
        double[] rates = new double[rounds];
        for (int round = -rounds; round < rounds; round++) {
            long started = System.nanoTime();
            long predicted = 0;
            while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1)) {
                predicted += model.predictAll(batch).size();
            }
            if (round >= 0) {
                rates[round] = predicted / ((System.nanoTime() - started) / 1e9);
            }
        }
        Arrays.sort(rates);
        return rates[rounds / 2];
    }

    @Override
    public void close() {
        server.close();
        trivialVertx.close().await();
    }

    private String predictPath() {
        return "/v1/models/" + dataset.schema().model() + "/predict";
    }

    private String batchBody(int instances) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("instances");
        instances(instances).forEach(array::add);
        return body.toString();
    }

    private String tensorBody(int count) {
        List<FeatureSpec> features = dataset.schema().features();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode input = body.putArray("inputs").addObject().put("name", "input").put("datatype", "FP64");
        input.putArray("shape").add(count).add(features.size());
        ArrayNode data = input.putArray("data");
        for (LabeledRow row : dataset.rows().subList(0, count)) {
            for (FeatureSpec feature : features) {
                Object value = row.features().get(feature.name());
                if (value == null) {
                    data.addNull();
                } else if (feature.isNominal()) {
                    data.add(feature.indexOf(value.toString()));
                } else {
                    data.add(((Number) value).doubleValue());
                }
            }
        }
        body.putArray("outputs").addObject().put("name", "predict");
        return body.toString();
    }

    private List<ObjectNode> instances(int count) {
        List<ObjectNode> instances = new ArrayList<>(count);
        for (LabeledRow row : dataset.rows().subList(0, count)) {
            instances.add(JSON.valueToTree(row.features()));
        }
        return instances;
    }

    private Result run(Wrk wrk, String name, int port, String path, String body, int instances)
            throws IOException, InterruptedException {
        return run(wrk, name, port, path, body.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"), instances);
    }

    private Result run(Wrk wrk, String name, int port, String path, byte[] body, Map<String, String> headers,
            int instances) throws IOException, InterruptedException {
        Path script = scripts.resolve(name.replaceAll("[^a-z0-9]", "_") + ".lua");
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
        headers.forEach((header, value) -> lua.append("wrk.headers[").append(luaString(header.getBytes(
                StandardCharsets.UTF_8))).append("] = ").append(luaString(value.getBytes(StandardCharsets.UTF_8)))
                .append('\n'));
        lua.append("wrk.body = ").append(luaString(body)).append('\n');
        Files.writeString(script, lua);
        Wrk.Report report = wrk.run("http://127.0.0.1:" + port + path, script);
        return new Result(name, report.requestsPerSecond(), instances, report.p50Ms(), report.p99Ms(),
                report.non2xx());
    }

    /** A Lua string literal of any bytes: printable ASCII as it is, every other byte as a 3-digit escape. */
    private static String luaString(byte[] bytes) {
        StringBuilder literal = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                literal.append((char) c);
            } else {
                literal.append('\\').append(String.format(Locale.ROOT, "%03d", c));
            }
        }
        return literal.append('"').toString();
    }
}
