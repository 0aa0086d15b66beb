package io.streamlearn.core.learn;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import moa.cluster.Cluster;
import moa.cluster.Clustering;
import moa.cluster.SphereCluster;
import moa.clusterers.Clusterer;

/**
 * A MOA stream clusterer ({@code clustream.WithKmeans -k 3}, {@code clustree.ClusTree}, {@code denstream.WithDBSCAN})
 * behind {@link OnlineLearner}. The clusterer keeps micro-clusters online; its macro-clusters
 * ({@code getClusteringResult}, a k-means over the micro-clusters for CluStream) are recomputed every
 * {@value #REFRESH} events, not per event, and kept in the state. An event's prediction is the id of the nearest
 * macro-cluster centre. A recomputed clustering that fits the micro-clusters worse than the current one is dropped
 * (see {@link #fitsBetter}).
 *
 * <p>Ids stay stable across recomputations: each new cluster takes the id of the nearest previous centre not yet
 * taken (greedy matching), so a cluster that moves a little keeps its id, as a user reading
 * {@code GET /v1/models/{name}/clusters} expects.
 */
final class MoaClusterer implements OnlineLearner {

    static final int REFRESH = 200;

    /** What a snapshot holds: the clusterer, its last macro-clusters and the events seen. */
    record State(Clusterer clusterer, ArrayList<ClusterSummary> clusters, long observed) implements Serializable {
    }

    private final String spec;
    private final Clusterer clusterer;
    private final InstancesHeader header;
    private List<ClusterSummary> clusters;
    private long observed;

    /** A clusterer that has seen nothing, given its model context. */
    MoaClusterer(String spec, Clusterer clusterer, FeatureSchema schema) {
        this(spec, new State(clusterer, new ArrayList<>(), 0), schema);
        clusterer.setModelContext(header);
    }

    /** A clusterer as its snapshot left it, model context included (setting it again may reset a MOA learner). */
    MoaClusterer(String spec, State state, FeatureSchema schema) {
        this.spec = spec;
        this.clusterer = state.clusterer();
        this.clusters = List.copyOf(state.clusters());
        this.observed = state.observed();
        this.header = header(schema);
    }

    /** Features only: the target is no coordinate of the space being clustered. */
    private static InstancesHeader header(FeatureSchema schema) {
        List<Attribute> attributes = new ArrayList<>();
        for (FeatureSpec feature : schema.features()) {
            attributes.add(new Attribute(feature.name()));
        }
        return new InstancesHeader(new Instances(schema.model(), attributes, 0));
    }

    @Override
    public Prediction predict(double[] features) {
        int nearest = -1;
        double best = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        for (ClusterSummary cluster : clusters) {
            double distance = distance(features, cluster.center());
            if (distance < best) {
                second = best;
                best = distance;
                nearest = cluster.id();
            } else if (distance < second) {
                second = distance;
            }
        }
        if (nearest < 0) {
            return Prediction.none();
        }
        return Prediction.cluster(nearest, best, Double.isInfinite(second) ? Double.NaN : second);
    }

    @Override
    public void learn(double[] features, double label) {
    }

    @Override
    public void observe(double[] features) {
        Instance instance = new DenseInstance(1.0, features.clone());
        instance.setDataset(header);
        clusterer.trainOnInstance(instance);
        observed++;
        if (observed % REFRESH == 0) {
            List<ClusterSummary> found = macroClusters();
            if (!found.isEmpty() && fitsBetter(found, clusters)) {
                clusters = matched(clusters, found);
            }
        }
    }

    @Override
    public List<ClusterSummary> clusters() {
        return clusters;
    }

    @Override
    public byte[] snapshot() {
        return SafeSerialization.serialize(new State(clusterer, new ArrayList<>(clusters), observed));
    }

    @Override
    public String spec() {
        return spec;
    }

    /**
     * The clusterer's macro-clusters; for a clusterer that has none (ClusTree answers {@code null}), its
     * micro-clusters.
     */
    private List<ClusterSummary> macroClusters() {
        Clustering result = clusterer.getClusteringResult();
        if ((result == null || result.size() == 0) && clusterer.implementsMicroClusterer()) {
            result = clusterer.getMicroClusteringResult();
        }
        List<ClusterSummary> found = new ArrayList<>();
        if (result == null) {
            return found;
        }
        for (Cluster cluster : result.getClustering()) {
            double[] center = cluster.getCenter();
            if (center == null || cluster.getWeight() <= 0) {
                continue;
            }
            double radius = cluster instanceof SphereCluster sphere ? sphere.getRadius() : 0.0;
            found.add(new ClusterSummary(found.size(), center.clone(), radius, cluster.getWeight()));
        }
        return found;
    }

    /**
     * A k-means macro-clustering restarts from random centres and now and then lands in a poor local optimum (two
     * centres in one group, one between two). So a new clustering replaces the current one only when its centres fit
     * the clusterer's current micro-clusters at least as well (weighted sum of squared distances of micro-cluster
     * centres to their nearest centre); when the data drifts, the current centres fit worse and are replaced.
     */
    private boolean fitsBetter(List<ClusterSummary> found, List<ClusterSummary> current) {
        if (current.isEmpty() || !clusterer.implementsMicroClusterer()) {
            return true;
        }
        Clustering micro = clusterer.getMicroClusteringResult();
        if (micro == null || micro.size() == 0) {
            return true;
        }
        return squaredError(micro, found) <= squaredError(micro, current);
    }

    private static double squaredError(Clustering micro, List<ClusterSummary> centres) {
        double sum = 0;
        for (Cluster cluster : micro.getClustering()) {
            double nearest = Double.POSITIVE_INFINITY;
            for (ClusterSummary centre : centres) {
                nearest = Math.min(nearest, distance(cluster.getCenter(), centre.center()));
            }
            sum += cluster.getWeight() * nearest * nearest;
        }
        return sum;
    }

    /** Gives each new cluster the id of the nearest free previous one; clusters beyond the previous count get new ids. */
    static List<ClusterSummary> matched(List<ClusterSummary> previous, List<ClusterSummary> found) {
        boolean[] taken = new boolean[Math.max(previous.size(), 0)];
        int[] ids = new int[found.size()];
        java.util.Arrays.fill(ids, -1);
        // Pairs by increasing distance: the closest pair is matched first.
        List<int[]> pairs = new ArrayList<>();
        for (int n = 0; n < found.size(); n++) {
            for (int p = 0; p < previous.size(); p++) {
                pairs.add(new int[] {n, p});
            }
        }
        pairs.sort(java.util.Comparator.comparingDouble(
                pair -> distance(found.get(pair[0]).center(), previous.get(pair[1]).center())));
        for (int[] pair : pairs) {
            if (ids[pair[0]] < 0 && !taken[pair[1]]) {
                ids[pair[0]] = previous.get(pair[1]).id();
                taken[pair[1]] = true;
            }
        }
        int next = previous.stream().mapToInt(ClusterSummary::id).max().orElse(-1) + 1;
        List<ClusterSummary> result = new ArrayList<>(found.size());
        for (int n = 0; n < found.size(); n++) {
            ClusterSummary cluster = found.get(n);
            int id = ids[n] >= 0 ? ids[n] : next++;
            result.add(new ClusterSummary(id, cluster.center(), cluster.radius(), cluster.weight()));
        }
        result.sort(java.util.Comparator.comparingInt(ClusterSummary::id));
        return List.copyOf(result);
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
