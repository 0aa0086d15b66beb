package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.runtime.http.BearerToken;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.ModelPins;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ModelRegistry.Versions;
import io.streamlearn.serve.ServedModel;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin routes that choose which version of a model is served: {@code POST .../versions/{v}/promote} (pin),
 * {@code POST .../rollback} (pin the version before the served one) and {@code DELETE .../pin} (serve the newest
 * again). Each answers once the change is applied on this server, with the model's versions as they then are.
 * Only a request bearing the configured token gets through: none configured is 403 for everyone, a missing or wrong
 * token is 401, and either way nothing changes.
 */
final class AdminHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final ModelRegistry models;
    private final ModelPins pins;
    private final BearerToken token;

    /** @param token {@code null} disables the admin routes */
    AdminHandler(ModelRegistry models, ModelPins pins, String token) {
        this.models = models;
        this.pins = pins;
        this.token = BearerToken.of(token);
    }

    /** Runs before every admin route. */
    void authorize(RoutingContext context) {
        if (!token.configured()) {
            throw new ApiError(403, "admin_disabled", "the admin routes are disabled: no admin token is configured",
                    null);
        }
        if (!token.accepts(context.request().getHeader("Authorization"))) {
            context.response().putHeader("WWW-Authenticate", BearerToken.CHALLENGE);
            throw new ApiError(401, "unauthorized", "admin routes need 'Authorization: Bearer <admin token>'", null);
        }
        context.next();
    }

    void promote(RoutingContext context) {
        ServedModel version = new ModelLookup(models).model(context);
        LOG.info("Pinning {} (promote)", version);
        answerWhenApplied(context, version.name(), pins.pin(version.name(), version.version()));
    }

    void rollback(RoutingContext context) {
        String name = context.pathParam("name");
        Versions versions = held(name);
        ServedModel previous = versions.previous().orElseThrow(() -> new ApiError(409, "no_previous_version",
                "model '" + name + "' has no version older than the served one on this server", null));
        LOG.info("Pinning {} (rollback)", previous);
        answerWhenApplied(context, name, pins.pin(name, previous.version()));
    }

    void unpin(RoutingContext context) {
        String name = context.pathParam("name");
        held(name);
        LOG.info("Unpinning model '{}'", name);
        answerWhenApplied(context, name, pins.unpin(name));
    }

    /** The model's versions and pin: {@code {"model", "version" (served), "pinned", "versions"}}. */
    static ObjectNode describe(String name, Versions versions) {
        ObjectNode body = JsonReply.object().put("model", name);
        versions.served().ifPresent(served -> body.put("version", served.version()));
        if (versions.pinned().isPresent()) {
            body.put("pinned", versions.pinned().getAsLong());
        } else {
            body.putNull("pinned");
        }
        ArrayNode held = body.putArray("versions");
        versions.held().forEach(model -> held.add(model.version()));
        return body;
    }

    private Versions held(String name) {
        Versions versions = models.versions(name);
        if (versions.held().isEmpty()) {
            throw ApiError.unknownModel(name);
        }
        return versions;
    }

    private void answerWhenApplied(RoutingContext context, String name, CompletionStage<Void> applied) {
        Future.fromCompletionStage(applied, context.vertx().getOrCreateContext())
                .onSuccess(done -> JsonReply.send(context, 200, describe(name, models.versions(name))))
                .onFailure(failure -> {
                    LOG.warn("Pin change for model '{}' failed", name, failure);
                    context.fail(new ApiError(503, "pins_unavailable", "the pin change could not be stored: "
                            + failure.getMessage(), null));
                });
    }
}
