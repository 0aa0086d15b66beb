package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.learn.ClusterSummary;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.ServedModel;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/models/{name}/clusters}: the served version's clusters (id as in predictions, centre, radius,
 * weight) and the clustering quality measured by the trainer. Centres are in the learner's feature space; without
 * transforms that is the declared features, named in {@code dimensions}. A model of another task is answered 409
 * {@code not_a_cluster_model}.
 */
final class ClustersHandler {

    private final ModelLookup lookup;

    ClustersHandler(ModelLookup lookup) {
        this.lookup = lookup;
    }

    void clusters(RoutingContext context) {
        ServedModel model = lookup.model(context);
        if (model.schema().task() != Task.CLUSTER) {
            throw new ApiError(409, "not_a_cluster_model", "model '" + model.name() + "' learns "
                    + model.schema().task().jsonName() + ", not clusters", null);
        }
        ObjectNode body = JsonReply.object().put("model", model.name()).put("version", model.version());
        if (model.schema().transforms().isEmpty()) {
            ArrayNode dimensions = body.putArray("dimensions");
            model.schema().features().stream().map(FeatureSpec::name).forEach(dimensions::add);
        }
        ArrayNode clusters = body.putArray("clusters");
        for (ClusterSummary cluster : model.clusters()) {
            ObjectNode json = clusters.addObject().put("id", cluster.id());
            ArrayNode center = json.putArray("center");
            for (double value : cluster.center()) {
                center.add(value);
            }
            json.put("radius", cluster.radius()).put("weight", cluster.weight());
        }
        Evaluation evaluation = model.metadata().evaluation();
        if (evaluation != null && evaluation.ssq() != null) {
            ObjectNode quality = body.putObject("quality");
            quality.put("ssq", evaluation.ssq()).put("silhouette", evaluation.silhouette());
            if (evaluation.window() != null) {
                quality.put("windowSsq", evaluation.window().ssq())
                        .put("windowSilhouette", evaluation.window().silhouette());
            }
        }
        JsonReply.send(context, 200, body);
    }
}
