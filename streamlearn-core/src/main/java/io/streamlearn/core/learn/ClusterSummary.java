package io.streamlearn.core.learn;

import java.io.Serializable;

/**
 * One macro-cluster as served by {@code GET /v1/models/{name}/clusters}: its id (the one predictions carry), centre in
 * the learner's feature space (after the schema's transforms), radius and weight (the decayed number of events it
 * summarises).
 */
public record ClusterSummary(int id, double[] center, double radius, double weight) implements Serializable {
}
