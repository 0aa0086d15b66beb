package io.streamlearn.serve.http;

import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ServedModel;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Finds the model a request's path names: {@code :name}, and {@code :version} where the route has one (a specific
 * version); without a version, the one the registry serves. Unknown models and versions are 404s. The version found
 * is what the request's meters are tagged with.
 */
final class ModelLookup {

    private final ModelRegistry models;

    ModelLookup(ModelRegistry models) {
        this.models = models;
    }

    ServedModel model(RoutingContext context) {
        String name = context.pathParam("name");
        String version = context.pathParam("version");
        ServedModel served = models.find(name).orElseThrow(() -> ApiError.unknownModel(name));
        if (version != null) {
            served = parseVersion(version)
                    .flatMap(v -> models.find(name, v))
                    .orElseThrow(() -> ApiError.unknownVersion(name, version));
        }
        RequestObserver.served(context, served);
        return served;
    }

    private static Optional<Long> parseVersion(String version) {
        try {
            return Optional.of(Long.parseLong(version));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
