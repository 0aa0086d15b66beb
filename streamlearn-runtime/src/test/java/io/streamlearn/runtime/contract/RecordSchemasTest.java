package io.streamlearn.runtime.contract;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Each record schema under docs/contracts/schemas accepts the examples docs/topics.md shows and refuses obviously wrong
 * records, so a test that holds real records to it can fail. The real records are checked where they are written:
 * {@code RecordContractTest} (streamlearn-tools) runs the whole pipeline.
 */
class RecordSchemasTest {

    private final RecordSchemas schemas = RecordSchemas.fromDocs();

    @Test
    void eventsNeedAnIdAndFeatures() {
        valid(RecordSchemas.EVENT, """
                {"id": "e-1017", "ts": 1764111600000, "model": "electricity",
                 "features": {"date": 0.9, "day": "3", "period": 0.5, "nswprice": 0.06}, "label": "UP"}""");
        valid(RecordSchemas.EVENT, "{\"id\": 17, \"ts\": \"2026-11-25T10:00:00Z\", \"features\": {\"x\": null}}");
        schemas.assertInvalid(RecordSchemas.EVENT, "{\"features\": {\"x\": 1}}");
        schemas.assertInvalid(RecordSchemas.EVENT, "{\"id\": \"\", \"features\": {\"x\": 1}}");
        schemas.assertInvalid(RecordSchemas.EVENT, "{\"id\": \"e-1\", \"features\": [1, 2]}");
        schemas.assertInvalid(RecordSchemas.EVENT, "{\"id\": \"e-1\", \"features\": {\"x\": {\"nested\": 1}}}");
        schemas.assertInvalid(RecordSchemas.EVENT, "[\"e-1\"]");
    }

    @Test
    void labelsNeedAnIdAndALabel() {
        valid(RecordSchemas.LABEL, "{\"id\": \"e-1017\", \"label\": \"UP\"}");
        schemas.assertInvalid(RecordSchemas.LABEL, "{\"id\": \"e-1017\"}");
        schemas.assertInvalid(RecordSchemas.LABEL, "{\"id\": \"e-1017\", \"label\": [\"UP\"]}");
    }

    @Test
    void predictionsCarryModelVersionAndTime() {
        valid(RecordSchemas.PREDICTION, """
                {"id": "e-1017", "model": "electricity", "version": 3, "prediction": "UP",
                 "scores": {"UP": 0.71, "DOWN": 0.29}, "ts": 1764111600000}""");
        valid(RecordSchemas.PREDICTION, """
                {"id": "e-1", "model": "m", "version": 0, "prediction": null, "ts": 1, "source": "serving"}""");
        schemas.assertInvalid(RecordSchemas.PREDICTION, "{\"id\": \"e-1\", \"model\": \"m\", \"prediction\": \"UP\"}");
        schemas.assertInvalid(RecordSchemas.PREDICTION,
                "{\"id\": \"e-1\", \"model\": \"m\", \"version\": \"3\", \"prediction\": \"UP\", \"ts\": 1}");
    }

    @Test
    void driftAlertsAndRetrainRequestsKeepTheirShape() {
        String window = "{\"fromPosition\": 1, \"toPosition\": 5000, \"partition\": 0, \"fromOffset\": 0,"
                + " \"toOffset\": 4999, \"fromTime\": 1, \"toTime\": 2}";
        valid(RecordSchemas.DRIFT_ALERT, "{\"model\": \"m\", \"kind\": \"feature\", \"feature\": \"x\", \"statistic\":"
                + " \"psi\", \"value\": 0.4, \"threshold\": 0.2, \"pValue\": null, \"severity\": \"major\","
                + " \"reference\": " + window + ", \"current\": " + window + "}");
        schemas.assertInvalid(RecordSchemas.DRIFT_ALERT, "{\"model\": \"m\", \"kind\": \"weather\"}");
        valid(RecordSchemas.RETRAIN_REQUEST, "{\"model\": \"m\", \"reason\": \"admin\", \"requestedAt\": 1,"
                + " \"alerts\": []}");
        valid(RecordSchemas.RETRAIN_REQUEST, "{\"model\": \"m\", \"reason\": \"drift\", \"fromPosition\": 5001,"
                + " \"partition\": 0, \"fromOffset\": 5000, \"fromTime\": 1, \"detectedAtPosition\": 6000,"
                + " \"detectedAtTime\": 2, \"alerts\": [{\"kind\": \"feature\", \"feature\": \"x\", \"statistic\":"
                + " \"psi\", \"severity\": \"major\"}]}");
        schemas.assertInvalid(RecordSchemas.RETRAIN_REQUEST, "{\"model\": \"m\", \"reason\": \"drift\"}");
        schemas.assertInvalid(RecordSchemas.RETRAIN_REQUEST, "{\"model\": \"m\", \"reason\": \"boredom\","
                + " \"requestedAt\": 1}");
    }

    @Test
    void trainingRunsAndModelDefinitionsKeepTheirShape() {
        valid(RecordSchemas.TRAINING_RUN, "{\"id\": \"m-1764111600000-0001\", \"model\": \"m\", \"status\":"
                + " \"running\", \"startedAt\": 1764111600000, \"trigger\": [{\"model\": \"m\", \"reason\": \"admin\","
                + " \"requestedAt\": 1, \"alerts\": []}], \"trials\": [], \"result\": {}, \"phases\": {}}");
        schemas.assertInvalid(RecordSchemas.TRAINING_RUN, "{\"id\": \"m-1\", \"model\": \"m\", \"status\": \"done\"}");
        valid(RecordSchemas.MODEL_DEFINITION, """
                {"model": "fraud", "generation": 1, "version": 3, "learner": "trees.HoeffdingTree",
                 "schema": {"model": "fraud", "target": {"name": "class", "type": "nominal", "values": ["ok", "fraud"]},
                            "features": [{"name": "amount", "type": "numeric"}]},
                 "settings": {"anomaly.rate": "0.01"}}""");
        valid(RecordSchemas.MODEL_DEFINITION, """
                {"model": "forest", "generation": 1, "version": 1, "learner": "meta.AdaptiveRandomForest -s 10",
                 "shards": 2, "schema": {"target": {"name": "y", "type": "nominal", "values": ["a", "b"]},
                                         "features": [{"name": "x", "type": "numeric"}]}, "settings": {}}""");
        valid(RecordSchemas.MODEL_DEFINITION, "{\"model\": \"fraud\", \"deleted\": true, \"generation\": 1,"
                + " \"version\": 4}");
        schemas.assertInvalid(RecordSchemas.MODEL_DEFINITION, "{\"model\": \"fraud\", \"version\": 4}");
        schemas.assertInvalid(RecordSchemas.MODEL_DEFINITION, "{\"model\": \"forest\", \"generation\": 1,"
                + " \"version\": 1, \"learner\": \"bayes.NaiveBayes\", \"shards\": 0, \"schema\": {\"target\":"
                + " {\"name\": \"y\", \"type\": \"numeric\"},"
                + " \"features\": [{\"name\": \"x\", \"type\": \"numeric\"}]}}");
        schemas.assertInvalid(RecordSchemas.MODEL_DEFINITION, "{\"model\": \"fraud\", \"deleted\": false,"
                + " \"generation\": 1, \"version\": 4}");
    }

    private void valid(String kind, String json) {
        schemas.assertValid(kind, json.getBytes(StandardCharsets.UTF_8));
    }
}
