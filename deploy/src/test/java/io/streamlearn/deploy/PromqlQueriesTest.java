package io.streamlearn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromqlQueriesTest {

    @Test
    void aThresholdConditionIsCheckedThroughItsNonLiteralSide() {
        assertThat(PromqlQueries.conditionOperands("sum by (a) (rate(x_total{b!=\"c\"}[5m])) / sum(y) > 0.01"))
                .containsExactly("sum by (a) (rate(x_total{b!=\"c\"}[5m])) / sum(y)");
        assertThat(PromqlQueries.conditionOperands("up{job=\"serve\"} == 0")).containsExactly("up{job=\"serve\"}");
    }

    @Test
    void bothSidesOfAVectorComparisonAndEveryOperandOfAndAreChecked() {
        assertThat(PromqlQueries.conditionOperands("a < b - 0.10")).containsExactly("a", "b - 0.10");
        assertThat(PromqlQueries.conditionOperands("age > 900\n  and on (instance, model) rate(e[5m]) > 0"))
                .containsExactly("age", "rate(e[5m])");
        assertThat(PromqlQueries.conditionOperands("x > bool 1 unless ignoring (le) y"))
                .containsExactly("x", "y");
    }

    @Test
    void operatorsInsideLabelMatchersStringsAndNamesDoNotSplit() {
        assertThat(PromqlQueries.conditionOperands("band_orders{op=\"a > b and c\", x=~\"or.*\"}"))
                .containsExactly("band_orders{op=\"a > b and c\", x=~\"or.*\"}");
    }

    @Test
    void grafanaVariablesBecomeTheirAllValuesAndUnknownOnesFail() {
        Map<String, String> values = Map.of("model", ".+", "__rate_interval", "1m");
        assertThat(PromqlQueries.substitute("rate(x{model=~\"$model\"}[$__rate_interval]) + ${model}", values))
                .isEqualTo("rate(x{model=~\".+\"}[1m]) + .+");
        assertThatIllegalArgumentException().isThrownBy(() -> PromqlQueries.substitute("x{a=\"$nope\"}", values));
    }

    @Test
    void selectorsAreTheMetricNamesWithTheirMatchersOutsideFunctionsAndGrouping() {
        assertThat(PromqlQueries.selectors("histogram_quantile(0.99, sum by (le, model) (rate(a_bucket{model=~\".+\","
                + "route!~\"/metrics|/health/.+\"}[1m]))) / on (model) group_left (x) b{c=\"d\"} + up"))
                .containsExactly("a_bucket{model=~\".+\",route!~\"/metrics|/health/.+\"}", "b{c=\"d\"}");
    }

    @Test
    void labelValuesBecomesACountByTheLabel() {
        assertThat(PromqlQueries.labelValues("label_values(m{instance=~\".+\"}, model)"))
                .isEqualTo("count by (model) (m{instance=~\".+\"})");
    }
}
