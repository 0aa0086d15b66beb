package io.streamlearn.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a retrain run found, to record it and, when {@code gate().promote()}, to publish the challenger.
 *
 * @param schema           the window's schema
 * @param split            how the labelled rows were split by time
 * @param trials           every tuning trial, in the order they ran
 * @param bestParams       XGBoost parameters of the challenger (the search's winner with the run's fixed ones)
 * @param bestRounds       its boosting rounds
 * @param crossValidation  expanding-window CV of the final candidate; {@code null} when {@code cvFolds} is 0 or the
 *                         rows were too few
 * @param testScores       test-split figures of {@code challenger}, {@code linear-baseline} and each champion by its
 *                         label (accuracy/kappa for classes, MAE/RMSE/R² for values)
 * @param recordedTestRows for each champion by its label, the test rows scored by the predictions it made before
 *                         learning them ({@link Champion#recorded()}); the others by its restored learner
 * @param gate             the champion/challenger verdict
 * @param device           where XGBoost trained
 * @param durations        stage times
 * @param globalImportance mean |SHAP| per pipeline output column on (at most 2,000 rows spread over) the test split,
 *                         largest first
 * @param challenger       the fitted model (pipeline frozen on train + validation rows)
 * @param settings         the settings of the run
 */
public record RetrainOutcome(FeatureSchema schema, WindowSplit split, List<Trial> trials, Map<String, Object> bestParams,
        int bestRounds, CrossValidation crossValidation, Map<String, Evaluation> testScores,
        Map<String, Integer> recordedTestRows, GateDecision gate,
        DeviceReport device, Durations durations, Map<String, Double> globalImportance, XGBoostLearner challenger,
        RetrainSettings settings) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RetrainOutcome {
        trials = List.copyOf(trials);
        bestParams = Collections.unmodifiableMap(new LinkedHashMap<>(bestParams));
        testScores = Collections.unmodifiableMap(new LinkedHashMap<>(testScores));
        recordedTestRows = Collections.unmodifiableMap(new LinkedHashMap<>(recordedTestRows));
        globalImportance = Collections.unmodifiableMap(new LinkedHashMap<>(globalImportance));
    }

    /** The model's name (the schema's). */
    public String model() {
        return schema.model();
    }

    /**
     * How the challenger was made, as plain JSON values (maps, lists, strings, numbers, booleans): split, parameters,
     * CV and test metrics, gate, device, durations, global importance, settings and library versions. The caller adds
     * what only it knows (data offsets, trigger, run id) through {@link #snapshot}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> provenance() {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("split", JSON.convertValue(split, Map.class));
        provenance.put("params", bestParams);
        provenance.put("rounds", bestRounds);
        provenance.put("trials", trials.size());
        provenance.put("crossValidation", crossValidation == null ? null : JSON.convertValue(crossValidation, Map.class));
        Map<String, Object> scores = new LinkedHashMap<>();
        testScores.forEach((label, evaluation) -> scores.put(label, JSON.convertValue(evaluation, Map.class)));
        provenance.put("testScores", scores);
        provenance.put("recordedTestRows", recordedTestRows);
        Map<String, Object> gateJson = new LinkedHashMap<>();
        gateJson.put("promote", gate.promote());
        gateJson.put("test", gate.test());
        gateJson.put("pValue", Double.isNaN(gate.pValue()) ? null : gate.pValue());
        gateJson.put("margin", gate.margin());
        gateJson.put("alpha", gate.alpha());
        gateJson.put("reason", gate.reason());
        gateJson.put("comparisons", gate.comparisons().stream().map(c -> JSON.convertValue(c, Map.class)).toList());
        provenance.put("gate", gateJson);
        provenance.put("device", JSON.convertValue(device, Map.class));
        provenance.put("durations", JSON.convertValue(durations, Map.class));
        provenance.put("globalImportance", globalImportance);
        provenance.put("settings", settingsJson());
        provenance.put("libraries", Libraries.versions());
        return (Map<String, Object>) (Map<?, ?>) provenance;
    }

    /**
     * The challenger as version {@code version} of the model, origin {@link ModelMetadata#BATCH}, with
     * {@link #provenance()} plus {@code extraProvenance} (data offsets, schema version, trigger...; its keys win).
     *
     * @param version      batch versions are numbered by promotion time in epoch milliseconds
     * @param inputOffsets per input partition the next offset the window did not cover, as online snapshots record it
     */
    public ModelSnapshot snapshot(long version, Map<String, Long> inputOffsets, Map<String, Object> extraProvenance,
            long createdAt) {
        Map<String, Object> provenance = new LinkedHashMap<>(provenance());
        provenance.putAll(extraProvenance);
        Evaluation test = testScores.get(RetrainPipeline.CHALLENGER);
        ModelMetadata metadata = new ModelMetadata(schema.model(), version, challenger.spec(), schema, inputOffsets,
                split.trainRows() + split.validationRows() + split.testRows() + split.unlabelled(),
                split.trainRows() + split.validationRows(), test, createdAt, ModelSnapshotCodec.FORMAT_VERSION,
                ModelMetadata.BATCH, provenance);
        return new ModelSnapshot(metadata, challenger.snapshot());
    }

    /** {@link #snapshot(long, Map, Map, long)} without input offsets. */
    public ModelSnapshot snapshot(long version, Map<String, Object> extraProvenance, long createdAt) {
        return snapshot(version, Map.of(), extraProvenance, createdAt);
    }

    private Map<String, Object> settingsJson() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("trainShare", settings.trainShare());
        values.put("validationShare", settings.validationShare());
        values.put("trials", settings.trials());
        values.put("timeBudgetMs", settings.timeBudget().toMillis());
        values.put("halving", settings.halving());
        values.put("maxRounds", settings.maxRounds());
        values.put("earlyStoppingRounds", settings.earlyStopping());
        values.put("cvFolds", settings.cvFolds());
        values.put("seed", settings.seed());
        values.put("nthread", settings.nthread());
        values.put("device", settings.device());
        values.put("requireGpu", settings.requireGpu());
        values.put("margin", settings.margin());
        values.put("alpha", settings.alpha());
        return values;
    }
}
