package io.streamlearn.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelKeysTest {

    @Test
    void aBatchVersionIsKeyedByTheModelNameWithTheBatchSuffix() {
        assertThat(ModelKeys.batch("churn")).isEqualTo("churn@batch");
        assertThat(ModelKeys.isBatch("churn@batch")).isTrue();
        assertThat(ModelKeys.model("churn@batch")).isEqualTo("churn");
    }

    @Test
    void anOnlineKeyIsTheModelNameItself() {
        assertThat(ModelKeys.isBatch("churn")).isFalse();
        assertThat(ModelKeys.model("churn")).isEqualTo("churn");
        assertThat(ModelKeys.isBatch(null)).isFalse();
        assertThat(ModelKeys.model(null)).isNull();
    }
}
