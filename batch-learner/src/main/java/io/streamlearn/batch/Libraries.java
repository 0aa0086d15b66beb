package io.streamlearn.batch;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of the libraries that made a batch model, for its provenance. */
final class Libraries {

    private Libraries() {
    }

    static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("xgboost4j", xgboostVersion());
        versions.put("java", System.getProperty("java.version"));
        String streamlearn = Libraries.class.getPackage().getImplementationVersion();
        versions.put("streamlearn", streamlearn == null ? "dev" : streamlearn);
        return versions;
    }

    /** XGBoost4J's jar carries {@code xgboost4j-version.properties} ({@code version=3.4.0}). */
    private static String xgboostVersion() {
        try (InputStream in = ml.dmlc.xgboost4j.java.XGBoost.class.getResourceAsStream("/xgboost4j-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
