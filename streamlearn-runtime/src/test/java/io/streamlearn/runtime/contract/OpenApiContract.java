package io.streamlearn.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.runtime.http.OpenApiDocument;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A running server held to the OpenAPI document it answers on {@code /openapi.json}: the document names exactly the
 * routes its router has, every answer a test gets through {@link #call} has a documented status whose documented
 * body schema it satisfies, and every request the server accepted satisfies the documented request schema.
 * {@link #assertEverySuccessAnswered()} then proves the test called every operation.
 */
public final class OpenApiContract {

    private static final String BASE = "https://streamlearn.invalid/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final JsonObject document;
    private final SchemaRepository schemas;
    private final JsonSchemaOptions options;
    private final Set<String> answered = new TreeSet<>();

    private OpenApiContract(int port, JsonObject document) {
        this.port = port;
        this.document = document;
        this.options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE)
                .setOutputFormat(OutputFormat.Basic);
        // A copy: the repository marks what it dereferences with fields of its own.
        this.schemas = SchemaRepository.create(options).dereference(BASE, JsonSchema.of(document.copy()));
    }

    /** Reads the document the server on {@code port} answers. */
    public static OpenApiContract of(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = send(port, "GET", OpenApiDocument.PATH, null, List.of());
        assertThat(response.statusCode()).as("GET /openapi.json").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonObject document = new JsonObject(response.body());
        assertThat(document.getString("openapi")).as("OpenAPI version").startsWith("3.1.");
        return new OpenApiContract(port, document);
    }

    /** Every route of the router (method and path template) is documented, and every documented one routed. */
    public void assertDescribesExactly(List<Route> routes) {
        Set<String> routed = new TreeSet<>();
        for (Route route : routes) {
            if (route.getPath() == null || route.methods() == null) {
                continue;
            }
            String template = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            route.methods().forEach(method -> routed.add(method.name() + " " + template));
        }
        assertThat(routed).as("routes of the router").isNotEmpty();
        assertThat(operations()).as("operations of the OpenAPI document against the router's routes")
                .containsExactlyInAnyOrderElementsOf(routed);
    }

    /**
     * Sends a request and checks its answer against the document: the operation {@code template} is documented, the
     * status too, and a body documented as JSON satisfies its schema.
     *
     * @param headers name, value, name, value... (a Content-Type replaces the default application/json)
     */
    public HttpResponse<String> call(String method, String template, String path, String body, String... headers)
            throws IOException, InterruptedException {
        JsonObject operation = document.getJsonObject("paths").getJsonObject(template, new JsonObject())
                .getJsonObject(method.toLowerCase(Locale.ROOT));
        assertThat(operation).as("%s %s is documented", method, template).isNotNull();
        HttpResponse<String> response = send(port, method, path, body, List.of(headers));
        String status = Integer.toString(response.statusCode());
        JsonObject documented = operation.getJsonObject("responses").getJsonObject(status);
        assertThat(documented).as("%s %s answered %s, an undocumented status: %s", method, path, status,
                response.body()).isNotNull();
        JsonObject content = documented.getJsonObject("content");
        if (content != null) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            String mediaType = type.split(";")[0].trim();
            assertThat(content.fieldNames()).as("%s %s %s content type", method, path, status).contains(mediaType);
            if (content.getJsonObject(mediaType).containsKey("schema") && mediaType.equals("application/json")) {
                String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                        + status + "/content/" + escape(mediaType) + "/schema";
                assertValid(pointer, Json.decodeValue(response.body()), method + " " + path + " " + status);
            }
        }
        if (status.startsWith("2") && body != null && operation.containsKey("requestBody")) {
            // A request the server accepted is one the document accepts: its request schema is not too narrow.
            assertValid("/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT)
                    + "/requestBody/content/application~1json/schema", Json.decodeValue(body),
                    "the request body of " + method + " " + path);
        }
        answered.add(method.toUpperCase(Locale.ROOT) + " " + template + " " + status);
        return response;
    }

    /** Every documented operation was answered with each of its documented 2xx statuses by {@link #call}. */
    public void assertEverySuccessAnswered() {
        Set<String> documented = new TreeSet<>();
        JsonObject paths = document.getJsonObject("paths");
        for (String template : paths.fieldNames()) {
            for (String method : paths.getJsonObject(template).fieldNames()) {
                if (!METHODS.contains(method)) {
                    continue;
                }
                for (String status : paths.getJsonObject(template).getJsonObject(method).getJsonObject("responses")
                        .fieldNames()) {
                    if (status.startsWith("2")) {
                        documented.add(method.toUpperCase(Locale.ROOT) + " " + template + " " + status);
                    }
                }
            }
        }
        assertThat(answered).as("documented successes a test got").containsAll(documented);
    }

    private Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        JsonObject paths = document.getJsonObject("paths");
        for (String template : paths.fieldNames()) {
            for (String method : paths.getJsonObject(template).fieldNames()) {
                if (METHODS.contains(method)) {
                    operations.add(method.toUpperCase(Locale.ROOT) + " " + template);
                }
            }
        }
        return operations;
    }

    /** Validates against the schema at {@code pointer} in the document, whose references resolve in the document. */
    private void assertValid(String pointer, Object body, String what) {
        JsonSchema schema = JsonSchema.of(new JsonObject().put("$ref", BASE + "#" + pointer));
        OutputUnit result = schemas.validator(schema, options).validate(body);
        assertThat(result.getValid()).as("%s: the body %s does not match its documented schema: %s", what,
                abbreviate(String.valueOf(body)), result.getErrors()).isTrue();
    }

    private static HttpResponse<String> send(int port, String method, String path, String body, List<String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.size(); i += 2) {
            request.setHeader(headers.get(i), headers.get(i + 1));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON pointer token (RFC 6901) in a URI fragment (RFC 3986). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }

    private static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }
}
