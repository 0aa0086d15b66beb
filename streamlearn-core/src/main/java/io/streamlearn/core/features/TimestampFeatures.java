package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A timestamp column (epoch milliseconds) becomes calendar columns in UTC, named {@code feature.part}: {@code hour}
 * (0–23), {@code day_of_week} (1 = Monday … 7), {@code month} (1–12), {@code is_weekend} (0/1) and the cyclic
 * {@code hour_sin}/{@code hour_cos}, {@code day_of_week_sin}/{@code _cos}, {@code month_sin}/{@code _cos}: sin and cos
 * of 2π·v/period, so that 23h and 0h lie close together. A missing timestamp gives missing parts. Learns nothing.
 */
final class TimestampFeatures implements FeatureTransform {

    private static final long serialVersionUID = 1L;

    enum Part { HOUR, DAY_OF_WEEK, MONTH, IS_WEEKEND, HOUR_SIN, HOUR_COS, DAY_OF_WEEK_SIN, DAY_OF_WEEK_COS, MONTH_SIN,
        MONTH_COS }

    private final List<FeatureSpec> outputs;
    private final int index;
    private final List<Part> parts;

    TimestampFeatures(List<FeatureSpec> inputs, String feature, List<String> parts) {
        this.index = Columns.indexOf(inputs, feature, "timestamp");
        Columns.requireType(inputs.get(index), "timestamp", FeatureType.TIMESTAMP);
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("timestamp transform of '" + feature + "' names no parts");
        }
        this.parts = parts.stream().map(part -> Part.valueOf(part.toUpperCase(Locale.ROOT))).toList();
        this.outputs = Columns.replace(inputs, index, Columns.numeric(
                this.parts.stream().map(part -> feature + "." + part.name().toLowerCase(Locale.ROOT)).toList()));
    }

    @Override
    public List<FeatureSpec> outputs() {
        return outputs;
    }

    @Override
    public double[] apply(double[] row) {
        double[] values = new double[parts.size()];
        if (Double.isNaN(row[index])) {
            Arrays.fill(values, Double.NaN);
        } else {
            ZonedDateTime time = Instant.ofEpochMilli((long) row[index]).atZone(ZoneOffset.UTC);
            for (int i = 0; i < values.length; i++) {
                values[i] = value(parts.get(i), time);
            }
        }
        return Columns.replace(row, index, values);
    }

    private static double value(Part part, ZonedDateTime time) {
        int hour = time.getHour();
        int day = time.getDayOfWeek().getValue();
        int month = time.getMonthValue();
        return switch (part) {
            case HOUR -> hour;
            case DAY_OF_WEEK -> day;
            case MONTH -> month;
            case IS_WEEKEND -> day >= DayOfWeek.SATURDAY.getValue() ? 1 : 0;
            case HOUR_SIN -> Math.sin(2 * Math.PI * hour / 24);
            case HOUR_COS -> Math.cos(2 * Math.PI * hour / 24);
            case DAY_OF_WEEK_SIN -> Math.sin(2 * Math.PI * (day - 1) / 7);
            case DAY_OF_WEEK_COS -> Math.cos(2 * Math.PI * (day - 1) / 7);
            case MONTH_SIN -> Math.sin(2 * Math.PI * (month - 1) / 12);
            case MONTH_COS -> Math.cos(2 * Math.PI * (month - 1) / 12);
        };
    }

    @Override
    public void learn(double[] row) {
    }
}
